"""Where each year's working calendar comes from, the notice before a year the national holiday
package does not cover, and the import of a year's holidays and make-up working days.

The chinese-calendar package knows the State Council's holidays (and 调休 working days) of the
years it was released for; the next year's calendar is published each November. For a year the
package does not know, csm.sla counts the dates entered here (calendar_overrides for all
branches) and otherwise only the weekdays. From September 1 of the year before, the
administrator is told which year still needs its dates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from csm.admin import grids as admin
from csm.errors import UserError, ValidationFailed

SOURCES = ("package", "entered", "weekdays")
NOTICE_FROM = (9, 1)  # month, day of the year before: the official calendar comes in November
# the words accepted in an imported file's kind column
KIND_WORDS = {
    "holiday": "holiday", "假日": "holiday", "节假日": "holiday", "放假": "holiday", "休息": "holiday",
    "休息日": "holiday", "workday": "workday", "工作日": "workday", "上班": "workday", "调休": "workday",
    "调休上班": "workday", "补班": "workday",
}
DATE_HEADERS = ("date", "day", "日期")
KIND_HEADERS = ("kind", "type", "类型")
NOTE_HEADERS = ("note", "name", "备注", "名称", "节日")
TEMPLATE_CSV = "日期,类型,备注\n2027-01-01,假日,元旦\n2027-02-06,调休上班,春节调休\n"


def package_years() -> frozenset[int]:
    """The years the installed chinese-calendar package covers (its holiday table)."""
    from chinese_calendar import constants

    return frozenset(d.year for d in constants.holidays)


def entered_years(db_or_tx) -> dict[int, int]:
    """Year -> number of dates entered for all branches (holidays and make-up working days)."""
    return {int(r["year"]): int(r["n"]) for r in db_or_tx.rows("sla/calendar_entered_years")}


def year_source(year: int, package: frozenset[int], entered: dict[int, int]) -> str:
    if year in package:
        return "package"
    if entered.get(year):
        return "entered"
    return "weekdays"


def years_to_show(today: date) -> list[int]:
    return [today.year - 1, today.year, today.year + 1]


def missing_years(today: date, package: frozenset[int] | None = None,
                  entered: dict[int, int] | None = None) -> list[int]:
    """Years that would fall back to weekdays only: this year, and from September 1 the next."""
    package = package_years() if package is None else package
    entered = entered or {}
    years = [today.year]
    if (today.month, today.day) >= NOTICE_FROM:
        years.append(today.year + 1)
    return [y for y in years if year_source(y, package, entered) == "weekdays"]


@dataclass(frozen=True)
class YearSource:
    year: int
    source: str          # package | entered | weekdays
    entered: int         # dates entered for all branches


def sources(db_or_tx, today: date, package: frozenset[int] | None = None) -> list[YearSource]:
    package = package_years() if package is None else package
    entered = entered_years(db_or_tx)
    return [YearSource(y, year_source(y, package, entered), entered.get(y, 0)) for y in years_to_show(today)]


def notice_years(db_or_tx, today: date, package: frozenset[int] | None = None) -> list[int]:
    return missing_years(today, package, entered_years(db_or_tx))


# ---- import ------------------------------------------------------------------------------------
def _column(frame: pd.DataFrame, names: tuple[str, ...], position: int | None) -> str | None:
    for c in frame.columns:
        if str(c).strip().casefold() in names:
            return c
    if position is not None and position < len(frame.columns):
        return frame.columns[position]
    return None


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_dates(data: bytes, filename: str) -> list[dict]:
    """The rows of a small CSV or Excel list: date, kind (holiday / workday, or 假日 / 调休上班 ...),
    an optional note. Every bad row is refused by its number (the header is row 1)."""
    name = (filename or "").lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(data), dtype=object)
        elif name.endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            raise UserError("calendar.import.error.format")
    except UserError:
        raise
    except Exception as exc:  # not a readable table
        raise UserError("calendar.import.error.format") from exc
    frame = frame.dropna(how="all")
    day_col = _column(frame, DATE_HEADERS, 0)
    kind_col = _column(frame, KIND_HEADERS, 1)
    note_col = _column(frame, NOTE_HEADERS, 2)
    if day_col is None or kind_col is None:
        raise UserError("calendar.import.error.columns")
    rows, problems, seen = [], [], {}
    for i, (_, r) in enumerate(frame.iterrows(), start=2):
        raw_day, raw_kind = r[day_col], r[kind_col]
        if (raw_day is None or str(raw_day).strip() in ("", "nan")) and \
                (raw_kind is None or str(raw_kind).strip() in ("", "nan")):
            continue
        day = _day(raw_day)
        kind = KIND_WORDS.get(str(raw_kind or "").strip().casefold())
        if day is None:
            problems.append(UserError("calendar.import.error.date", row=i, value=str(raw_day)))
        if kind is None:
            problems.append(UserError("calendar.import.error.kind", row=i, value=str(raw_kind)))
        if day is not None and day in seen:
            problems.append(UserError("calendar.import.error.duplicate", row=i, day=day.isoformat(),
                                      other=seen[day]))
        if day is None or kind is None or day in seen:
            continue
        seen[day] = i
        note = r[note_col] if note_col is not None else None
        note = None if note is None or str(note).strip() in ("", "nan") else str(note).strip()
        rows.append({"day": day, "kind": kind, "note": note})
    if problems:
        raise ValidationFailed(problems)
    if not rows:
        raise UserError("calendar.import.error.empty")
    return rows


def import_dates(db, actor: str, rows: list[dict]) -> tuple[int, int]:
    """Add the dates for all branches through the override grid (its rules and audit); a date
    already entered the same way is skipped. Returns (added, skipped)."""
    base = admin.load_grid(db, admin.OVERRIDES)
    have = {(_day(r.day), r.kind) for r in base[base["branch_id"] == admin.ALL_BRANCHES].itertuples()}
    new = [r for r in rows if (r["day"], r["kind"]) not in have]
    if not new:
        return 0, len(rows)
    added = pd.DataFrame([{"id": None, "branch_id": admin.ALL_BRANCHES, "day": r["day"], "kind": r["kind"],
                           "note": r["note"]} for r in new])
    edited = pd.concat([base, added.astype({"id": object})], ignore_index=True)
    n = admin.save_grid(db, actor, admin.OVERRIDES, base, edited)
    return n, len(rows) - len(new)
