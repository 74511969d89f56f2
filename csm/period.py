"""Periods in the company's time zone: today, this month, as aware datetimes for SQL bounds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def day_bounds(tz: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    local = (now or datetime.now(zone)).astimezone(zone)
    start = datetime.combine(local.date(), time(0), zone)
    return start, start + timedelta(days=1)


def month_bounds(tz: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    local = (now or datetime.now(zone)).astimezone(zone)
    start = datetime.combine(date(local.year, local.month, 1), time(0), zone)
    nxt = date(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return start, datetime.combine(nxt, time(0), zone)


def range_bounds(tz: str, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) in the company zone."""
    zone = ZoneInfo(tz)
    return datetime.combine(first, time(0), zone), datetime.combine(last + timedelta(days=1), time(0), zone)
