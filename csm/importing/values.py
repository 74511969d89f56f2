"""One cell to one typed value, by its field's kind: text, int, number, date, datetime (in the
company's zone), choice (through the value mapping), phone, bool. A cell that cannot be read
raises UserError naming what was wrong; the mechanism turns it into the row's rejection.

Dates follow the format chosen for the file (DATE_FORMATS): year-month-day (2024-03-05 14:30,
2024/3/5, 2024年3月5日), month/day/year (3/5/24 14:30) or day/month/year (5/3/2024); a number,
or a cell Excel stored as a date, is read as such in every format (Excel serial day numbers)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.errors import UserError

DATE_FORMATS = ("ymd", "mdy", "dmy")  # the time after a date: 14:30, 14:30:15, 9时05分, 2:30 PM, 下午 2:30
_TIME = (r"(?:[ T]+(上午|下午|早上|晚上)?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})"
         r"(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?(?:\s*([AaPp])\.?[Mm]\.?)?)?")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + r"\s*$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})" + _TIME + r"\s*$")
EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 … 9999-12-31
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "t"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "f"}
PHONE = re.compile(r"^\+?\d{5,15}$")


def text(v) -> str | None:
    """A cell as text: a whole number Excel stored as 101.0 reads 101; None for an empty cell."""
    if v is None:
        return None
    if isinstance(v, float):
        if v != v:  # NaN
            return None
        if v.is_integer():
            v = int(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def parse_datetime(v, fmt: str) -> datetime:
    """A naive datetime from a cell in the format `fmt` (see DATE_FORMATS)."""
    if isinstance(v, datetime):
        return v.replace(tzinfo=None) if v.tzinfo is None else v
    if isinstance(v, date):
        return datetime.combine(v, time())
    if isinstance(v, bool):
        raise UserError("imports.error.date", value=str(v))
    if isinstance(v, (int, float)):
        return _serial(v)
    s = str(v).strip()
    try:
        return _serial(float(s)) if re.fullmatch(r"\d{5}(\.\d+)?", s) else _from_text(s, fmt)
    except (ValueError, OverflowError):
        raise UserError("imports.error.date", value=s) from None


def _serial(n: float) -> datetime:
    if not SERIAL_RANGE[0] <= n <= SERIAL_RANGE[1]:
        raise UserError("imports.error.date", value=str(n))
    return (EXCEL_EPOCH + timedelta(days=float(n))).replace(microsecond=0)


def _from_text(s: str, fmt: str) -> datetime:
    m = _YMD.match(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        rest = m.groups()[3:]
    elif (c := _YMD_COMPACT.match(s)):
        y, mo, d, rest = int(c[1]), int(c[2]), int(c[3]), (None,) * 5
    else:
        m = _SHORT.match(s)
        if not m or fmt == "ymd":
            raise UserError("imports.error.date", value=s)
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            y += 2000 if y < 70 else 1900
        mo, d = (a, b) if fmt == "mdy" else (b, a)
        rest = m.groups()[3:]
    before, hh, mm, ss, after = rest
    hh, mm, ss = (int(x) if x else 0 for x in (hh, mm, ss))
    half = "p" if before in ("下午", "晚上") else "a" if before else (after or "").lower() or None
    if half:  # 2:30 PM, 下午 2:30 (12 AM is midnight, 12 PM noon)
        if not 1 <= hh <= 12:
            raise ValueError("an hour of a 12-hour clock")
        hh = hh % 12 + (12 if half == "p" else 0)
    return datetime(y, mo, d, hh, mm, ss)  # ValueError for a day or time that does not exist


def suggest_date_format(values: list) -> str:
    """The format under which most of the text values read (year first wins a tie; day-first
    only when a first number above 12 says so)."""
    texts = [str(v).strip() for v in values if isinstance(v, str) and v.strip()][:2000]
    if not texts:
        return "ymd"
    score = {}
    for fmt in DATE_FORMATS:
        ok = 0
        for s in texts:
            try:
                _from_text(s, fmt)
                ok += 1
            except (UserError, ValueError):
                pass
        score[fmt] = ok
    return max(DATE_FORMATS, key=lambda f: score[f])  # max keeps the first of equals: ymd, mdy, dmy


def cell(v, kind: str, *, tz: str, date_format: str, values: dict[str, str] | None = None,
         max_chars: int | None = None):
    """The typed value of one cell (None when empty)."""
    s = text(v)
    if s is None:
        return None
    if kind == "text":
        if max_chars and len(s) > max_chars:
            raise UserError("imports.error.too_long", n=len(s), limit=max_chars)
        return s
    if kind in ("int", "number"):
        if isinstance(v, bool):
            raise UserError("imports.error.number", value=s)
        try:
            x = float(v) if isinstance(v, (int, float)) else float(s.replace(",", "").replace("，", ""))
        except ValueError:
            raise UserError("imports.error.number", value=s) from None
        if x != x or x in (float("inf"), float("-inf")):
            raise UserError("imports.error.number", value=s)
        if kind == "int":
            if not x.is_integer():
                raise UserError("imports.error.int", value=s)
            return int(x)
        return x
    if kind == "date":
        return parse_datetime(v, date_format).date()
    if kind == "datetime":
        at = parse_datetime(v, date_format)
        return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(tz))
    if kind == "choice":
        mapped = (values or {}).get(s)
        if mapped is None:
            raise UserError("imports.error.unmapped", value=s)
        return mapped
    if kind == "phone":
        digits = re.sub(r"[\s\-()（）]", "", s)
        if not PHONE.match(digits):
            raise UserError("imports.error.phone", value=s)
        return digits
    if kind == "bool":
        low = s.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise UserError("imports.error.bool", value=s)
    raise ValueError(f"unknown field kind {kind}")
