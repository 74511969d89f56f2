"""Reading a repair-system export (Excel or CSV, GBK or UTF-8) into service records, row by row
(internal: csm.revisits.commands.import_service_records saves them, all rows or none)."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from charset_normalizer import from_bytes
from openpyxl import Workbook

from csm import excel, upload_limits
from csm.db import Database
from csm.errors import UserError
from csm.revisits.rules import ServiceRecord

# Column headers accepted (Chinese as the template has them, or English).
COLUMNS = {
    "project_code": ("项目编号", "project code"),
    "unit": ("房号", "unit"),
    "resident_name": ("住户姓名", "resident"),
    "resident_phone": ("联系电话", "phone"),
    "service_type": ("服务类型", "service type"),
    "department": ("部门", "department"),
    "completed_at": ("完成时间", "completed at"),
    "completed_by": ("完成人", "completed by"),
    "description": ("内容", "description"),
    "external_ref": ("维修单号", "work-order number"),
}
REQUIRED = ("project_code", "service_type", "completed_at", "description")
SERVICE_TYPE_WORDS = {"维修": "repair", "repair": "repair", "有偿服务": "paid_service",
                      "有偿/委托服务": "paid_service", "委托服务": "paid_service",
                      "paid service": "paid_service", "paid_service": "paid_service"}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
                "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SAMPLE_NOTE = "示例行：导入时跳过。请从下一行起填写（或删除此行）；项目编号填在 A 列，如 P001。"


def template_xlsx() -> bytes:
    """Headers and one sample row, marked 示例 in its first cell and greyed: never imported."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "服务记录"
    ws.append([zh for zh, _ in COLUMNS.values()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["示例：P001", "1-0101", "张伟", "13800138000", "维修", "工程部", "2026-11-20 15:30", "李师傅",
               "厨房水龙头漏水，更换阀芯", "WX-20261120-001"])
    grey = PatternFill("solid", start_color="FFEDEDED", end_color="FFEDEDED")
    for cell in ws[2]:
        cell.font = Font(italic=True, color="FF808080")
        cell.fill = grey
    ws["A2"].comment = Comment(SAMPLE_NOTE, "模板")
    for col, width in zip("ABCDEFGHIJ", (12, 10, 10, 14, 10, 10, 18, 10, 30, 18), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(data: bytes, filename: str, progress=None) -> list[list]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return excel.Book(data).rows(progress=progress)
    if name.endswith(".csv"):
        if b"\x00" in data[:4096]:  # a binary file named .csv
            raise UserError("revisit.import.unreadable")
        best = from_bytes(data).best()
        text = str(best) if best is not None else data.decode("utf-8", errors="replace")
        return [list(r) for r in csv.reader(io.StringIO(text.lstrip("\ufeff")))]
    raise UserError("revisit.import.file_type")


def _parse_time(value, tz: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip()
        for f in DATE_FORMATS:
            try:
                dt = datetime.strptime(text, f)
                break
            except ValueError:
                continue
        else:
            raise UserError("revisit.import.bad_date", field="completed_at", value=text)
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))


def parse(db: Database, data: bytes, filename: str, progress=None
          ) -> tuple[list[tuple[int, ServiceRecord | list[UserError]]], list[int]]:
    """Each data row as (spreadsheet row number, record) or (row number, its problems); and the
    numbers of the template sample rows skipped (first cell 示例…).
    progress(phase, done, total) reports the reading ("read") and checking ("check").
    A file over the size or row limit is refused before any row is read (csm/upload_limits.py)."""
    upload_limits.check(data, filename)
    rows = _rows(data, filename, (lambda done, total: progress("read", done, total)) if progress else None)
    if not any(any(v not in (None, "") for v in r) for r in rows):
        raise UserError("revisit.import.empty")
    header = [str(h or "").strip().lower() for h in rows[0]]
    index = {}
    for key, names in COLUMNS.items():
        for n in names:
            if n.lower() in header:
                index[key] = header.index(n.lower())
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in index]
    if missing:
        raise UserError("revisit.import.bad_header", columns="、".join(missing))
    out: list[tuple[int, ServiceRecord | list[UserError]]] = []
    data_rows, samples = excel.split_samples(rows[1:])
    for n, (row_no, row) in enumerate(data_rows, start=1):
        if progress and n % excel.PROGRESS_EVERY == 0:
            progress("check", n, len(data_rows))
        if not any(v not in (None, "") for v in row):
            continue

        def cell(key, row=row):
            i = index.get(key)
            v = row[i] if i is not None and i < len(row) else None
            return v.strip() if isinstance(v, str) else v

        problems: list[UserError] = []
        project = db.one("org/project_by_code", {"code": str(cell("project_code") or "")})
        if project is None:
            problems.append(UserError("revisit.import.bad_value", field="project",
                                      value=cell("project_code") or ""))
        stype = SERVICE_TYPE_WORDS.get(str(cell("service_type") or "").strip().lower())
        if stype is None:
            problems.append(UserError("revisit.import.bad_value", field="service_type",
                                      value=cell("service_type") or ""))
        dept_id = None
        if cell("department"):
            dept = db.one("revisits/department_by_code_or_name", {"text": str(cell("department"))})
            if dept is None:
                problems.append(UserError("revisit.import.bad_value", field="department",
                                          value=cell("department")))
            else:
                dept_id = dept["id"]
        try:
            completed = _parse_time(cell("completed_at"), db.timezone)
        except UserError as exc:
            problems.append(exc)
            completed = None
        if problems:
            out.append((row_no, problems))
            continue
        out.append((row_no, ServiceRecord(
            project_id=project["id"], service_type=stype, completed_at=completed,
            description=str(cell("description") or ""), unit_text=str(cell("unit") or "") or None,
            resident_name=cell("resident_name"),
            resident_phone=str(cell("resident_phone")) if cell("resident_phone") else None,
            department_id=dept_id, completed_by=cell("completed_by"),
            external_ref=str(cell("external_ref")) if cell("external_ref") else None)))
    if not out:
        raise UserError("revisit.import.empty")
    return out, samples

