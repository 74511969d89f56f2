"""Reporting periods (this month, last month, quarter, half-year, year, custom) and the periods a
figure is compared with: the one before, of the same kind, and the same one a year earlier."""

from __future__ import annotations

from datetime import date, timedelta

from csm.dashboards.kpis import Period

KINDS = ("this_month", "last_month", "quarter", "half_year", "year", "custom")


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _month_end(first: date, months: int = 1) -> date:
    return _add_months(first, months) - timedelta(days=1)


def period_of(kind: str, today: date, first: date | None = None, last: date | None = None) -> Period:
    """The period of that kind containing `today` (last month: the month before today's)."""
    if kind == "this_month":
        f = _month_start(today)
        return Period(f, _month_end(f))
    if kind == "last_month":
        f = _add_months(_month_start(today), -1)
        return Period(f, _month_end(f))
    if kind == "quarter":
        f = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(f, _month_end(f, 3))
    if kind == "half_year":
        f = date(today.year, 1 if today.month <= 6 else 7, 1)
        return Period(f, _month_end(f, 6))
    if kind == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == "custom":
        if first is None or last is None or last < first:
            raise ValueError("custom period needs first <= last")
        return Period(first, last)
    raise ValueError(kind)


def _is_whole_months(p: Period) -> int:
    """The number of whole calendar months the period spans, or 0."""
    if p.first.day != 1 or (p.last + timedelta(days=1)).day != 1:
        return 0
    nxt = p.last + timedelta(days=1)
    return (nxt.year - p.first.year) * 12 + nxt.month - p.first.month


def previous(p: Period) -> Period:
    """The period just before, of the same length (whole months stay whole months)."""
    months = _is_whole_months(p)
    if months:
        f = _add_months(p.first, -months)
        return Period(f, p.first - timedelta(days=1))
    days = (p.last - p.first).days + 1
    return Period(p.first - timedelta(days=days), p.first - timedelta(days=1))


def year_before(p: Period) -> Period:
    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)

    return Period(back(p.first), back(p.last))
