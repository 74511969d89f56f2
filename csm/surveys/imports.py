"""Paper survey forms through Excel: the wave's template (items as columns, validation lists in the
cells) and the reading of a filled one into forms, each bad row and cell named. Internal: the
all-or-nothing import is commands.import_forms."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from csm import excel, upload_limits
from csm.db import Database
from csm.errors import UserError
from csm.surveys import rules
from csm.surveys.entry import FormInput

SHEET = "问卷录入"
META_SHEET = "_wave"
TEMPLATE_ROWS = 1000
# Fixed columns before the items: key -> (header in the template, accepted English header)
FIXED = {
    "project": ("项目编号", "project code"),
    "form_no": ("问卷编号", "form no"),
    "unit": ("房号", "unit"),
    "respondent_name": ("住户姓名", "resident"),
    "respondent_phone": ("联系电话", "phone"),
    "returned_on": ("回收日期", "returned on"),
}
COMMENTS = ("意见和建议", "comments")
RATING_LIST = '"很满意,满意,较满意,不满意,4,3,2,1"'
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S")
_KEY_IN_HEADER = re.compile(r"\[([a-z0-9_]+)\]\s*$")


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_header(item: dict) -> str:
    return f"{item['sort']:02d} {item['text_zh']} [{item['item_key']}]"


def template_xlsx(db: Database, wave: dict, projects: list[dict]) -> bytes:
    """The wave's entry sheet: one row per form, one column per item with a drop-down list."""
    items = rules.items_of(db, wave["questionnaire_id"])
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [zh for zh, _ in FIXED.values()] + [item_header(i) for i in items] + [COMMENTS[0]]
    ws.append(headers)
    head_fill = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 75
    n_fixed = len(FIXED)
    first_item = get_column_letter(n_fixed + 1)
    last_item = get_column_letter(n_fixed + len(items))
    ratings = DataValidation(type="list", formula1=RATING_LIST, allow_blank=True,
                             showErrorMessage=True, errorTitle="评价无效",
                             error="请填写 很满意 / 满意 / 较满意 / 不满意（或 4 / 3 / 2 / 1），未表态留空。")
    ratings.add(f"{first_item}2:{last_item}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(ratings)
    if projects:
        codes = ",".join(p["project_code"] for p in projects)
        if len(codes) < 250:  # Excel's limit for an inline list
            proj = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=False,
                                  showErrorMessage=True, errorTitle="项目编号无效",
                                  error="请选择本次调查的项目编号。")
            proj.add(f"A2:A{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(proj)
        if len(projects) == 1:
            ws["A2"] = projects[0]["project_code"]
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                           allow_blank=True, showErrorMessage=True, error="请填写日期，如 2026-10-15。")
    dates.add(f"F2:F{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(dates)
    for idx in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(idx)].width = 12 if idx <= n_fixed else 9
    ws.column_dimensions[get_column_letter(len(headers))].width = 40
    ws.freeze_panes = ws.cell(row=2, column=n_fixed + 1)
    meta = wb.create_sheet(META_SHEET)
    meta.append(["wave_id", wave["id"]])
    meta.append(["wave_code", wave["code"]])
    meta.append(["questionnaire_id", wave["questionnaire_id"]])
    meta.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for f in DATE_FORMATS:
        try:
            return datetime.strptime(text, f).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def parse(db: Database, wave: dict, data: bytes, filename: str, project_codes: dict[str, int],
          progress=None) -> tuple[list[FormInput], list[UserError], list[int]]:
    """The filled template as forms; problems found while reading (bad date, unknown project) are
    returned with their row and cell, and the domain adds its own checks before anything is saved.
    Also the numbers of the template sample rows skipped (first cell 示例…).
    progress(phase, done, total) reports the reading."""
    from csm.i18n import t

    if not filename.lower().endswith(".xlsx"):
        raise UserError("survey.import.file_type")
    upload_limits.check(data, filename)  # size and rows, before any row is read
    book = excel.Book(data)  # refuses a file that is not a workbook, and formulas without a value
    if META_SHEET in book.sheetnames:
        meta = {str(r[0]): r[1] for r in book.rows(META_SHEET) if r and r[0]}
        if meta.get("wave_id") is not None and int(meta["wave_id"]) != int(wave["id"]):
            raise UserError("survey.import.other_wave", code=str(meta.get("wave_code") or ""))
    rows = book.rows(SHEET if SHEET in book.sheetnames else None,
                     progress=(lambda done, total: progress("read", done, total)) if progress else None)
    if not any(any(v not in (None, "") for v in r) for r in rows):
        raise UserError("survey.import.empty")
    items = rules.items_of(db, wave["questionnaire_id"])
    by_text = {i["text_zh"]: i for i in items}
    by_key = {i["item_key"]: i for i in items}
    header = [str(h or "").strip() for h in rows[0]]
    fixed_col: dict[str, int] = {}
    item_col: dict[str, int] = {}
    comments_col = None
    unknown_headers: list[str] = []
    for col, h in enumerate(header):
        low = h.lower()
        hit = next((k for k, names in FIXED.items() if low in (names[0], names[1])), None)
        if hit:
            fixed_col[hit] = col
            continue
        if low in COMMENTS:
            comments_col = col
            continue
        if not h:
            continue
        m = _KEY_IN_HEADER.search(h)
        item = by_key.get(m.group(1)) if m else None
        if item is None:
            item = by_text.get(re.sub(r"^\d+\s+", "", h)) or by_key.get(h)
        if item is None:
            unknown_headers.append(f"{get_column_letter(col + 1)}1「{h}」")
        else:
            item_col[item["item_key"]] = col
    if "project" not in fixed_col:
        raise UserError("survey.import.bad_header", columns=FIXED["project"][0])
    if unknown_headers:
        raise UserError("survey.import.unknown_columns", columns="、".join(unknown_headers))
    if not item_col:
        raise UserError("survey.import.no_items")

    forms: list[FormInput] = []
    problems: list[UserError] = []
    data_rows, samples = excel.split_samples(rows[1:])
    for row_no, row in data_rows:
        if not any(v not in (None, "") and str(v).strip() for v in row):
            continue

        def cell(col, row=row):
            return row[col] if col is not None and col < len(row) else None

        def name(col, title, row_no=row_no):
            return f"{get_column_letter(col + 1)}{row_no}「{title}」"

        cells = {k: name(c, by_key[k]["text_zh"]) for k, c in item_col.items()}
        cells |= {k: name(c, FIXED[k][0]) for k, c in fixed_col.items()}
        cells["ratings"] = t("survey.import.rating_cells")
        code = _text(cell(fixed_col["project"]))
        project_id = project_codes.get(code or "")
        reported = set()
        if project_id is None:
            problems.append(UserError("survey.error.cell", row=row_no, cell=cells["project"],
                                      problem=t("survey.error.unknown_project", value=code or "")))
            reported.add("project")
        returned_on = None
        raw_date = cell(fixed_col.get("returned_on"))
        if raw_date not in (None, ""):
            try:
                returned_on = _parse_date(raw_date)
            except ValueError:
                problems.append(UserError("survey.error.cell", row=row_no, cell=cells["returned_on"],
                                          problem=t("survey.error.bad_date", value=str(raw_date))))
        form = FormInput(
            project_id=project_id,
            ratings={k: cell(c) for k, c in item_col.items()},
            unit_text=_text(cell(fixed_col.get("unit"))), form_no=_text(cell(fixed_col.get("form_no"))),
            respondent_name=_text(cell(fixed_col.get("respondent_name"))),
            respondent_phone=_text(cell(fixed_col.get("respondent_phone"))),
            returned_on=returned_on, comments=_text(cell(comments_col)), row=row_no, cells=cells,
            reported=reported)
        forms.append(form)  # a row with a reading problem still has its ratings checked
    if not forms:
        raise UserError("survey.import.empty")
    return forms, problems, samples
