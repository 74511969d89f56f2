"""Reading a repair-system export (Excel or CSV, GBK or UTF-8) into service records, row by row
(internal: csm.revisits.commands.import_service_records saves them, all rows or none)."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime, timedelta
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



# ---- targets of the import mechanism (csm/importing/target.py; issue 11, helper "targets") ----
# Imported revisits are history: a done task (or, for a call that reached nobody, a cancelled
# one) with its attempt, marked with the import batch. They reopen nothing, file nothing and
# change no complaint: no event of the live record_revisit is emitted.
import pandas as _pd  # noqa: E402

from csm.importing.target import Choice, Field, Outcome  # noqa: E402
from csm.revisits.rules import METHODS, SATISFACTION, SERVICE_TYPES  # noqa: E402

REVISIT_RESULTS = ("reached", "no_answer", "wrong_number", "refused", "other")


def _text(v) -> str | None:
    if v is None or v is _pd.NaT or (isinstance(v, float) and _pd.isna(v)):
        return None
    s = str(v).strip()
    return s or None


def _time(v):
    if v is None or v is _pd.NaT or (isinstance(v, float) and _pd.isna(v)):
        return None
    return v.to_pydatetime() if isinstance(v, _pd.Timestamp) else v


class _Words:
    """A choice field's values: the stored value, or its label in either language (any case)."""

    def __init__(self, prefix: str, values: tuple[str, ...], extra: dict[str, str] | None = None):
        from csm.i18n import catalog

        self.by = {v: v for v in values}
        for v in values:
            for label in catalog().get(f"{prefix}.{v}", ()):
                self.by.setdefault(label.lower(), v)
        self.by.update({k.lower(): v for k, v in (extra or {}).items()})

    def get(self, v) -> str | None:
        s = _text(v)
        return None if s is None else self.by.get(s.lower(), self.by.get(s))


def _stage(frame: _pd.DataFrame, columns: list[str]) -> _pd.DataFrame:
    out = _pd.DataFrame(index=range(len(frame)))
    for c in columns:
        v = frame[c].reset_index(drop=True)
        if c in ("id", "task_id", "complaint_id", "project_id", "branch_id", "unit_id", "import_batch_id"):
            out[c] = _pd.to_numeric(v, errors="coerce").astype("Int64")
        elif c.endswith("_at"):
            out[c] = _pd.to_datetime(v, utc=True)
        elif c == "reached":
            out[c] = v.astype("boolean")
        else:
            v = v.astype(object)
            out[c] = v.where(v.notna(), None)
    return out


def load_imported_revisits(tx, by: str, batch_id: int, rows: _pd.DataFrame) -> int:
    """Done (or cancelled) complaint revisit tasks with their attempt, in two statements. Columns:
    complaint_id, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone, code,
    event_at, attempt_at, method, reached, fail_reason, satisfaction, comments, by_user, source_ref.
    Due times as for a live revisit (tasks.due_at: the kind's days on the branch's calendar)."""
    from csm import sla

    if rows is None or len(rows) == 0:
        return 0
    r = rows.reset_index(drop=True).copy()
    n = len(r)
    r["event_at"] = _pd.to_datetime(r["event_at"], utc=True).fillna(_pd.to_datetime(r["attempt_at"], utc=True))
    days = int(tx.one("revisits/kind_setting", {"kind": "complaint"})["due_days"])
    calendars = {int(b): sla.calendar_for_branch(tx, int(b)) for b in r["branch_id"].unique()}
    r["due_at"] = sla.add_limits_many(r["event_at"], [days * 24 * 60] * n,
                                      r["branch_id"].astype(int).map(calendars)).to_numpy()
    reached = r["reached"].astype(bool)
    r["id"] = [x[0] for x in tx.execute("revisits/import_task_ids", {"n": n})]
    r["task_id"] = r["id"]
    r["note"] = r["code"]
    r["status"] = reached.map({True: "done", False: "cancelled"})
    r["done_at"] = _pd.to_datetime(r["attempt_at"], utc=True).where(reached)
    r["satisfaction"] = r["satisfaction"].where(reached, None)
    r["method"] = r["method"].fillna("phone")
    r["by_user"] = r["by_user"].fillna(by)
    r["import_batch_id"] = batch_id
    tx.load("revisits/import_tasks_insert", _stage(r, [
        "id", "project_id", "branch_id", "unit_id", "unit_text", "contact_name", "contact_phone", "complaint_id",
        "note", "event_at", "due_at", "status", "done_at", "satisfaction", "import_batch_id"]))
    records = r.copy()
    records["id"] = [x[0] for x in tx.execute("revisits/import_record_ids", {"n": n})]
    tx.load("revisits/import_records_insert", _stage(records, [
        "id", "task_id", "attempt_at", "by_user", "method", "reached", "fail_reason", "satisfaction", "comments",
        "import_batch_id", "source_ref"]))
    return n


def undo_imported_revisits(tx, batch_id: int) -> int:
    """Removes the revisits an import brought; refused when the product added to them since."""
    refs = tx.value("revisits/import_undo_refs", {"batch_id": batch_id})
    if refs:
        raise UserError("targets.error.undo_referred", count=int(refs))
    tx.execute("revisits/import_undo_records", {"batch_id": batch_id})
    return len(tx.execute("revisits/import_undo_tasks", {"batch_id": batch_id}))


def drop_survey_follow_ups(tx, response_ids: list[int]) -> int:
    """The follow-up revisits of survey forms an import brought, removed with them (undo of a
    survey-forms import); refused when one was worked on (an attempt recorded, done or cancelled)."""
    params = {"response_ids": [int(i) for i in response_ids]}
    worked = tx.value("revisits/import_survey_refs", params)
    if worked:
        raise UserError("targets.error.undo_referred", count=int(worked))
    return len(tx.execute("revisits/import_survey_drop", params))


def survey_follow_ups(tx, response_ids: list[int]) -> dict[int, list[dict]]:
    """The follow-up revisits of these survey forms (id, worked on or not), by form."""
    out: dict[int, list[dict]] = {}
    for r in tx.rows("revisits/survey_follow_ups_of", {"response_ids": [int(i) for i in response_ids]}):
        out.setdefault(int(r["survey_response_id"]), []).append({"id": int(r["id"]), "worked": bool(r["worked"])})
    return out


def withdraw_survey_follow_ups(tx, task_ids: list[int]) -> int:
    """Removes these follow-up revisits of survey forms if still open and untouched."""
    if not task_ids:
        return 0
    return len(tx.execute("revisits/survey_follow_ups_withdraw", {"ids": [int(i) for i in task_ids]}))


REVISIT_FIELDS: tuple[Field, ...] = (
    Field("complaint_ref", "field.complaint_ref", required=True, max_chars=100,
          aliases=("投诉编号", "工单号", "单号", "编号", "complaint", "complaint no", "complaint code", "ticket",
                   "ticket no", "ticket number", "case no", "ref")),
    Field("source_system", "field.source_system", max_chars=50,
          aliases=("来源系统", "系统", "source system", "system")),
    Field("revisited_at", "field.revisited_at", kind="datetime", required=True,
          aliases=("回访时间", "回访日期", "revisited at", "revisit time", "revisited", "call time", "date")),
    Field("method", "field.revisit_method", kind="choice", aliases=("回访方式", "方式", "method", "revisit method")),
    Field("result", "field.revisit_result", kind="choice",
          aliases=("回访结果", "是否接通", "结果", "result", "outcome", "reached")),
    Field("satisfaction", "field.satisfaction", kind="choice",
          aliases=("满意度", "满意程度", "回访满意度", "satisfaction", "rating")),
    Field("remarks", "field.comments", aliases=("回访意见", "备注", "意见", "客户意见", "remarks", "comments", "notes")),
    Field("staff", "field.revisit_staff", max_chars=100,
          aliases=("回访人", "回访员", "staff", "revisited by", "agent", "caller")),
    Field("person_reached", "field.person_reached", max_chars=100,
          aliases=("接受回访人", "被回访人", "person reached", "contact")),
)


class RevisitRecords:
    """A 回访记录表: revisits of imported or live complaints, as history (see above)."""

    name = "revisits"
    label = "targets.revisits"
    fields = REVISIT_FIELDS
    natural_key = ("complaint_ref", "revisited_at")

    def choices(self, db, actor, field_key: str) -> list[Choice]:
        from csm.i18n import t

        if field_key == "method":
            return [Choice(m, t(f"revisit_method.{m}")) for m in METHODS]
        if field_key == "satisfaction":
            return [Choice(s, t(f"satisfaction.{s}")) for s in SATISFACTION]
        if field_key == "result":
            return [Choice(r, t(f"targets.revisit_result.{r}")) for r in REVISIT_RESULTS]
        return []

    def _prepare(self, tx, actor, rows: _pd.DataFrame) -> tuple[list[dict], list[Outcome]]:
        frame = rows.copy()
        for f in REVISIT_FIELDS:
            if f.key not in frame.columns:
                frame[f.key] = None
        methods = _Words("revisit_method", METHODS)
        satisfaction = _Words("satisfaction", SATISFACTION)
        results = _Words("targets.revisit_result", REVISIT_RESULTS,
                         {"是": "reached", "接通": "reached", "已接通": "reached", "yes": "reached",
                          "否": "no_answer", "未接通": "no_answer", "no": "no_answer"})
        refs = sorted({_text(v) for v in frame["complaint_ref"] if _text(v)})
        found = tx.rows("revisits/import_complaints", {"refs": refs})
        by_code = {c["code"]: c for c in found}
        by_ref: dict[str, list[dict]] = {}
        for c in found:
            if c["source_ref"]:
                by_ref.setdefault(c["source_ref"], []).append(c)
        own = {p["id"] for p in tx.rows("org/projects_in_scope", actor.params())}
        existing = {(r["complaint_id"], r["attempt_at"]): r for r in
                    tx.rows("revisits/import_existing", {"complaint_ids": [c["id"] for c in found]})}
        future = actor.now() + timedelta(minutes=1)
        seen = set()
        prepared, outcomes = [], []
        for raw in frame.to_dict("records"):
            line = int(raw["_line"])

            def reject(column, key, line=line, **params):
                outcomes.append(Outcome(line, "reject", column, UserError(key, **params)))
                prepared.append({})

            ref, system = _text(raw["complaint_ref"]), _text(raw["source_system"])
            at = _time(raw["revisited_at"])
            if ref is None:
                reject("complaint_ref", "targets.error.required")
                continue
            complaint = by_code.get(ref)
            if complaint is None:
                candidates = [c for c in by_ref.get(ref, []) if system is None or c["source_system"] == system]
                complaint = candidates[0] if len(candidates) == 1 else None
                if len(candidates) > 1:
                    reject("complaint_ref", "targets.error.ref_ambiguous", ref=ref)
                    continue
            if complaint is None:
                reject("complaint_ref", "targets.error.complaint_unknown", value=ref)
                continue
            if complaint["project_id"] not in own:
                reject("complaint_ref", "targets.error.project_scope", value=ref)
                continue
            if at is None:
                reject("revisited_at", "targets.error.required")
                continue
            if at > future:
                reject("revisited_at", "targets.error.future")
                continue
            if at < complaint["received_at"]:
                reject("revisited_at", "targets.error.before_received")
                continue
            values = {}
            bad = None
            for key, words in (("method", methods), ("satisfaction", satisfaction), ("result", results)):
                given = _text(raw[key])
                values[key] = words.get(given) if given is not None else None
                if given is not None and values[key] is None:
                    bad = (key, given)
                    break
            if bad:
                reject(bad[0], "targets.error.value_unknown", value=bad[1])
                continue
            reached = (values["result"] or "reached") == "reached"
            if (complaint["id"], at) in seen:
                reject("revisited_at", "targets.error.ref_twice", ref=f"{ref} {at:%Y-%m-%d %H:%M}")
                continue
            seen.add((complaint["id"], at))
            p = {"line": line, "complaint_id": complaint["id"], "project_id": complaint["project_id"],
                 "branch_id": complaint["branch_id"], "unit_id": complaint["unit_id"],
                 "unit_text": complaint["unit_text"], "contact_name": complaint["complainant_name"],
                 "contact_phone": complaint["complainant_phone"], "code": complaint["code"],
                 "event_at": complaint["resolved_at"] or complaint["closed_at"] or at, "attempt_at": at,
                 "method": values["method"] or "phone", "reached": reached,
                 "fail_reason": None if reached else values["result"],
                 "satisfaction": values["satisfaction"] if reached else None,
                 "comments": _text(raw["remarks"]), "by_user": _text(raw["staff"]) or actor.username,
                 "source_ref": None}
            old = existing.get((complaint["id"], at))
            if old is None:
                outcomes.append(Outcome(line, "add"))
            elif all(old[k] == p[k] for k in ("method", "reached", "fail_reason", "satisfaction", "comments",
                                              "by_user")):
                outcomes.append(Outcome(line, "same", record_id=old["id"]))
            else:
                p["record_id"], p["task_id"] = old["id"], old["task_id"]
                outcomes.append(Outcome(line, "update", record_id=old["id"]))
            prepared.append(p)
        return prepared, outcomes

    def plan(self, tx, actor, rows: _pd.DataFrame) -> list[Outcome]:
        return self._prepare(tx, actor, rows)[1]

    def apply(self, tx, actor, rows: _pd.DataFrame, outcomes: list[Outcome], batch_id: int) -> None:
        prepared, now = self._prepare(tx, actor, rows)
        wanted = {o.line: o.action for o in outcomes}
        chosen = [(p, o.action) for p, o in zip(prepared, now, strict=True)
                  if o.action in ("add", "update") and wanted.get(o.line) == o.action]
        load_imported_revisits(tx, actor.username, batch_id, _pd.DataFrame([p for p, a in chosen if a == "add"]))
        for p, _ in (c for c in chosen if c[1] == "update"):
            tx.execute("revisits/import_record_update", {
                "id": p["record_id"], "method": p["method"], "reached": p["reached"],
                "fail_reason": p["fail_reason"], "satisfaction": p["satisfaction"], "comments": p["comments"],
                "by_user": p["by_user"]})
            tx.execute("revisits/import_task_update", {
                "id": p["task_id"], "status": "done" if p["reached"] else "cancelled",
                "satisfaction": p["satisfaction"]})

    def undo(self, tx, actor, batch_id: int) -> int:
        return undo_imported_revisits(tx, batch_id)


SERVICE_FIELDS: tuple[Field, ...] = tuple(
    Field(key, "field.project" if key == "project_code" else f"field.{key}",
          kind={"completed_at": "datetime", "resident_phone": "phone", "service_type": "choice",
                "department": "choice"}.get(key, "text"),
          required=key in REQUIRED, aliases=names)
    for key, names in COLUMNS.items())


class ServiceRecords:
    """Repairs and paid services from a repair system, with the rules of the fixed-header importer
    (csm.revisits.commands.import_service_records): each record opens its revisit task, as one
    entered by hand does — this is the repair system's feed, not closed history. A work-order
    number already recorded for the project is "same"."""

    name = "service_records"
    label = "targets.service_records"
    fields = SERVICE_FIELDS
    natural_key = ("project_code", "external_ref")

    def choices(self, db, actor, field_key: str) -> list[Choice]:
        from csm.i18n import t

        if field_key == "service_type":
            return [Choice(s, t(f"service_type.{s}")) for s in SERVICE_TYPES]
        if field_key == "department":
            return [Choice(str(r["id"]), r["name"]) for r in db.rows("revisits/departments_active")]
        return []

    def _prepare(self, tx, actor, rows: _pd.DataFrame):
        from csm.revisits.commands import _check_service_record

        frame = rows.copy()
        for key in COLUMNS:
            if key not in frame.columns:
                frame[key] = None
        now = actor.now()
        own = {p["id"] for p in tx.rows("org/projects_in_scope", actor.params())}
        seen: set = set()
        prepared, outcomes = [], []
        for raw in frame.to_dict("records"):
            line = int(raw["_line"])
            problems: list[UserError] = []
            project = tx.one("org/project_by_code", {"code": _text(raw["project_code"]) or ""})
            if project is None:
                problems.append(UserError("revisit.import.bad_value", field="project",
                                          value=_text(raw["project_code"]) or ""))
            given = _text(raw["service_type"])
            stype = given if given in SERVICE_TYPES else SERVICE_TYPE_WORDS.get((given or "").lower())
            if stype is None:
                problems.append(UserError("revisit.import.bad_value", field="service_type", value=given or ""))
            dept_id = None
            if _text(raw["department"]):
                dept = tx.one("revisits/department_by_code_or_name", {"text": _text(raw["department"])})
                if dept is None and str(_text(raw["department"])).isdigit():
                    dept = {"id": int(_text(raw["department"]))}
                if dept is None:
                    problems.append(UserError("revisit.import.bad_value", field="department",
                                              value=_text(raw["department"])))
                else:
                    dept_id = dept["id"]
            completed = _time(raw["completed_at"])
            if completed is None:
                problems.append(UserError("error.required", field="completed_at"))
            if problems:
                outcomes.append(Outcome(line, "reject", problems[0].field, problems[0]))
                prepared.append(None)
                continue
            rec = ServiceRecord(
                project_id=project["id"], service_type=stype, completed_at=completed,
                description=_text(raw["description"]) or "", unit_text=_text(raw["unit"]),
                resident_name=_text(raw["resident_name"]), resident_phone=_text(raw["resident_phone"]),
                department_id=dept_id, completed_by=_text(raw["completed_by"]),
                external_ref=_text(raw["external_ref"]))
            key = (rec.project_id, rec.external_ref)
            if rec.external_ref and key in seen:
                outcomes.append(Outcome(line, "reject", "external_ref",
                                        UserError("revisit.error.ref_twice", ref=rec.external_ref)))
                prepared.append(None)
                continue
            seen.add(key)
            if rec.project_id in own and rec.external_ref and tx.value(
                    "revisits/service_record_ref_exists", {"project_id": rec.project_id,
                                                           "external_ref": rec.external_ref}):
                outcomes.append(Outcome(line, "same"))
                prepared.append(None)
                continue
            errs = _check_service_record(tx, own, rec, now)
            if errs:
                outcomes.append(Outcome(line, "reject", errs[0].field, errs[0]))
                prepared.append(None)
                continue
            outcomes.append(Outcome(line, "add"))
            prepared.append(rec)
        return prepared, outcomes

    def plan(self, tx, actor, rows: _pd.DataFrame) -> list[Outcome]:
        return self._prepare(tx, actor, rows)[1]

    def apply(self, tx, actor, rows: _pd.DataFrame, outcomes: list[Outcome], batch_id: int) -> None:
        from csm.revisits.commands import _insert_service_record

        prepared, now = self._prepare(tx, actor, rows)
        wanted = {o.line: o.action for o in outcomes}
        marker = f"batch:{batch_id}"
        for rec, o in zip(prepared, now, strict=True):
            if o.action == "add" and wanted.get(o.line) == "add":
                _insert_service_record(tx, actor, rec, marker)
        tx.execute("revisits/import_service_batch_mark", {"import_batch": marker, "batch_id": batch_id})
        tx.execute("revisits/import_service_tasks_mark", {"batch_id": batch_id})

    def undo(self, tx, actor, batch_id: int) -> int:
        refs = tx.value("revisits/import_service_undo_refs", {"batch_id": batch_id})
        if refs:
            raise UserError("targets.error.undo_referred", count=int(refs))
        tx.execute("revisits/import_undo_tasks", {"batch_id": batch_id})
        return len(tx.execute("revisits/import_service_undo", {"batch_id": batch_id}))


REVISITS_TARGET = RevisitRecords()
SERVICE_RECORDS_TARGET = ServiceRecords()
