"""Locale formatting of numbers, rates and times for display (company time zone)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from csm.actor import DEFAULT_TZ
from csm.i18n import current_lang, t


def pct(rate: float | None, digits: int = 1) -> str:
    """A rate 0..1 as '80.0%'; an undefined rate (empty period) as '—', never 0%."""
    if rate is None or rate != rate:  # None or NaN
        return t("common.none")
    return f"{rate * 100:.{digits}f}%"


def num(value: float | int | None, digits: int = 0) -> str:
    if value is None or value != value:
        return t("common.none")
    return f"{value:,.{digits}f}"


def dt(value: datetime | None, tz: str = DEFAULT_TZ, with_time: bool = True) -> str:
    if value is None:
        return t("common.none")
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz))
    if current_lang() == "zh":
        return value.strftime("%Y年%m月%d日 %H:%M" if with_time else "%Y年%m月%d日")
    return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def blank_missing(frame):
    """A table for display with missing cells (None, NaN, NaT) as empty text, not 'None': a column
    with gaps is shown as text (a column must keep one type for the table)."""
    shown = frame.copy()
    for col in shown.columns:
        missing = shown[col].isna()
        if missing.any():
            shown[col] = [("" if m else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
                          for v, m in zip(shown[col], missing, strict=True)]
    return shown


def dt_compact(value: datetime | None, tz: str = DEFAULT_TZ) -> str:
    """A time in a dense table: 2026-01-14 15:46 in both languages (the long form is in the detail)."""
    if value is None or value != value:  # None or NaT
        return t("common.none")
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz))
    return value.strftime("%Y-%m-%d %H:%M")
