"""Dates and times typed by a user: one rule for every form, so that what was typed is either taken
exactly or refused with a message naming the field — never silently moved to another day.

Streamlit's date picker turns 2026-02-30 into Feb 28 and keeps today for a date outside its range
without a word, so forms take the date as text (YYYY-MM-DD) and parse it here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from csm.errors import UserError, ValidationFailed

DATE_FORMAT = "YYYY-MM-DD"
TIME_FORMAT = "HH:MM"
YEARS_SETTING = "dates.max_years"  # a typed date lies within this many years of today
DEFAULT_YEARS = 5

# 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：]\s*(\d{2})$")


def years_allowed(db_or_tx) -> int:
    """The setting dates.max_years (rows of `settings`), or 5 when it is missing or not a number."""
    raw = db_or_tx.value("core/setting_get", {"key": YEARS_SETTING})
    try:
        years = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_YEARS
    return years if years > 0 else DEFAULT_YEARS


def today(tz: str) -> date:
    """Today in the company's time zone (not the server's)."""
    return datetime.now(ZoneInfo(tz)).date()


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def parse_date(text: str | None, field: str, *, earliest: date | None = None,
               latest: date | None = None, required: bool = True) -> date | None:
    """The date typed in `field`, exactly; UserError (naming the field) when it is empty, not a
    date, a day that does not exist, before `earliest` or after `latest`."""
    typed = (text or "").strip()
    if not typed:
        if required:
            raise UserError("error.required", field=field)
        return None
    m = _DATE.match(typed)
    if not m:
        raise UserError("date.error.format", field=field, text=typed, format=DATE_FORMAT)
    y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        day = date(y, mo, d)
    except ValueError:
        raise UserError("date.error.no_such_day", field=field, text=typed) from None
    if earliest is not None and day < earliest:
        raise UserError("date.error.too_early", field=field, text=typed, earliest=earliest.isoformat())
    if latest is not None and day > latest:
        raise UserError("date.error.too_late", field=field, text=typed, latest=latest.isoformat())
    return day


def parse_time(text: str | None, field: str) -> time:
    """A time of day typed as HH:MM (09:30, 9:30); UserError naming the field otherwise."""
    typed = (text or "").strip()
    if not typed:
        raise UserError("error.required", field=field)
    m = _TIME.match(typed)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UserError("date.error.time_format", field=field, text=typed, format=TIME_FORMAT)
    return time(int(m.group(1)), int(m.group(2)))


def past_date(text: str | None, field: str, today: date, years: int = DEFAULT_YEARS) -> date:
    """A day something happened: not after today, not more than `years` before it."""
    return parse_date(text, field, earliest=years_before(today, years), latest=today)


def planned_date(text: str | None, field: str, today: date, years: int = DEFAULT_YEARS) -> date:
    """A day planned (deadline, survey dates): within `years` of today, either way."""
    return parse_date(text, field, earliest=years_before(today, years), latest=years_after(today, years))


def past_moment(date_text: str | None, time_text: str | None, date_field: str, time_field: str,
                tz: str, now: datetime, years: int = DEFAULT_YEARS) -> datetime:
    """A moment something happened, typed as a local date and time: not in the future."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    day = past_date(date_text, date_field, local_now.date(), years)
    at = parse_time(time_text, time_field)
    moment = datetime.combine(day, at, zone)
    if moment > local_now.replace(second=59, microsecond=999999):  # the current minute is not future
        raise UserError("date.error.time_future", field=time_field, text=(time_text or "").strip(),
                        now=local_now.strftime("%H:%M"))
    return moment


def period(start_text: str | None, end_text: str | None, start_field: str, end_field: str, today: date,
           years: int = DEFAULT_YEARS) -> tuple[date, date]:
    """A planned period: both days planned dates, the end not before the start."""
    problems = []
    start = end = None
    try:
        start = planned_date(start_text, start_field, today, years)
    except UserError as exc:
        problems.append(exc)
    try:
        end = planned_date(end_text, end_field, today, years)
    except UserError as exc:
        problems.append(exc)
    if start and end and end < start:
        problems.append(UserError("date.error.end_before_start", field=end_field, start=start.isoformat()))
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise ValidationFailed(problems)
    return start, end


def as_text(day) -> str:
    """How a stored date (date, datetime, pandas Timestamp, None/NaT) is put into a text box."""
    if day is None or day != day:  # None, NaN, NaT
        return ""
    if isinstance(day, datetime):
        day = day.date()
    return day.isoformat()
