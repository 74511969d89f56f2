"""The one writer of every export (Excel and CSV) and the reader of uploaded workbooks.

Export: columns in the headers' order and named by them (the user's language), numbers as numbers,
times in the company's zone, no row cap. Excel: frozen bold header row, column widths, overdue rows
in red. CSV: UTF-8 with a BOM (Excel opens Chinese correctly), the same rows and columns.
Formula-like text (starting with = + - @ tab or CR: a complainant called `=HYPERLINK(...)`) is
written as text, never as a live formula: in Excel a text cell with the quote prefix (openpyxl
reads it back with data_type 's'), in CSV prefixed with a single quote (the OWASP rule). Numbers,
negative ones included, stay numbers (only text is escaped)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

RED = PatternFill("solid", start_color="FFF2C7CE", end_color="FFF2C7CE")
RED_FONT = Font(color="FF9C0006")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
FORMATS = ("xlsx", "csv")
XLSX_MAX_ROWS = 1_048_575  # an Excel sheet's rows below the header


def formula_like(value) -> bool:
    """Text a spreadsheet would run as a formula (= + - @, or a leading tab / carriage return)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _cell(v, tz: str | None):
    """A frame value as a spreadsheet value: times in the company zone without tzinfo, missing as None."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, datetime)):
        if v.tzinfo is not None and tz:
            v = v.tz_convert(tz) if isinstance(v, pd.Timestamp) else v.astimezone(ZoneInfo(tz))
        v = v.replace(tzinfo=None)
        return v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):  # a list or array in a cell
        return str(v)
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars: plain numbers
        return v.item()
    return v


def _columns(frame: pd.DataFrame, headers: dict[str, str]) -> list[str]:
    return [c for c in headers if c in frame.columns]


def _values(column: pd.Series, tz: str | None) -> list:
    """One column as spreadsheet values, converted a column at a time (a cell at a time was most
    of the time of a large export): times in the zone without tzinfo, missing as None."""
    if pd.api.types.is_datetime64_any_dtype(column):
        if column.dt.tz is not None:
            column = (column.dt.tz_convert(tz) if tz else column).dt.tz_localize(None)
        return [None if v is pd.NaT or v is None else v for v in column.astype(object).tolist()]
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return column.astype(object).where(column.notna(), None).tolist()
    return [v if v.__class__ is str else _cell(v, tz) for v in column.tolist()]


def _rows(frame: pd.DataFrame, cols: list[str], tz: str | None):
    return zip(*[_values(frame[c], tz) for c in cols], strict=True) if cols else iter(())


def frame_to_xlsx(frame: pd.DataFrame, headers: dict[str, str], sheet: str = "Sheet1",
                  red_rows: pd.Series | None = None, tz: str | None = None, progress=None) -> bytes:
    """Columns in `headers` order, named by it; rows where red_rows is True filled red. Written
    row by row (openpyxl's write-only mode: memory stays flat at a million rows);
    progress(done, total) is called every PROGRESS_EVERY rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet))
    cols = _columns(frame, headers)
    red = [bool(x) for x in red_rows.fillna(False)] if red_rows is not None else None
    for idx, c in enumerate(cols, start=1):  # widths from the header and the first rows
        sample = [headers[c], *frame[c].head(200).tolist()]
        width = max(_width(v) for v in sample) + 2
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width * 1.1, 8), 60)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    ws.append([_put(WriteOnlyCell(ws), headers[c], font=bold) for c in cols])
    total = len(frame)
    stamps: dict[int, WriteOnlyCell] = {}
    for i, values in enumerate(_rows(frame, cols, tz)):
        painted = red is not None and i < len(red) and red[i]
        row = []
        for idx, value in enumerate(values):
            if isinstance(value, date) and not painted:  # one styled cell per column, written on append
                stamp = stamps.get(idx)
                if stamp is None:
                    stamp = stamps[idx] = WriteOnlyCell(ws)
                    stamp.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
                stamp.value = value
                row.append(stamp)
            elif isinstance(value, datetime):
                row.append(_put(WriteOnlyCell(ws), value, number_format="yyyy-mm-dd hh:mm", painted=painted))
            elif isinstance(value, date):
                row.append(_put(WriteOnlyCell(ws), value, number_format="yyyy-mm-dd", painted=painted))
            elif painted or formula_like(value):
                row.append(_put(WriteOnlyCell(ws), value, painted=painted))
            else:
                row.append(value)
        ws.append(row)
        if progress and (i + 1) % PROGRESS_EVERY == 0:
            progress(i + 1, total)
    buf = io.BytesIO()
    wb.save(buf)
    if progress:
        progress(total, total)
    return buf.getvalue()


def _put(cell, value, font=None, number_format=None, painted=False):
    """One cell; formula-like text stays text (data_type 's', Excel's quote prefix)."""
    cell.value = value
    if formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    if painted:
        cell.fill = RED
        cell.font = RED_FONT
    elif font is not None:
        cell.font = font
    return cell


def _width(v) -> int:
    """Display width of a value: a Chinese character counts two."""
    if v is None or (not isinstance(v, str) and _cell(v, None) is None):
        return 0
    text = v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_title(sheet: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in (sheet or "Sheet1"))
    return cleaned[:31] or "Sheet1"


def csv_text(value) -> str:
    """One CSV field: formula-like text prefixed with a single quote; times as YYYY-MM-DD HH:MM."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    text = str(value)
    return "'" + text if formula_like(value) else text


def frame_to_csv(frame: pd.DataFrame, headers: dict[str, str], tz: str | None = None, progress=None) -> bytes:
    """The same rows and columns as frame_to_xlsx, as CSV in UTF-8 with a BOM."""
    cols = _columns(frame, headers)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([csv_text(headers[c]) for c in cols])
    total = len(frame)
    for i, values in enumerate(_rows(frame, cols, tz)):
        out.writerow([csv_text(v) for v in values])
        if progress and (i + 1) % PROGRESS_EVERY == 0:
            progress(i + 1, total)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write(kind: str, frame: pd.DataFrame, headers: dict[str, str], sheet: str = "Sheet1",
          red_rows: pd.Series | None = None, tz: str | None = None, progress=None) -> bytes:
    """The export file of `kind` ("xlsx" or "csv")."""
    if kind == "xlsx":
        return frame_to_xlsx(frame, headers, sheet, red_rows=red_rows, tz=tz, progress=progress)
    if kind == "csv":
        return frame_to_csv(frame, headers, tz=tz, progress=progress)
    raise ValueError(f"unknown export format {kind!r}")


def mime(kind: str) -> str:
    return XLSX_MIME if kind == "xlsx" else CSV_MIME


# ---- reading an uploaded workbook (both importers) ---------------------------------------------
SAMPLE_MARKS = ("示例", "example")  # a row whose first cell starts with one of these is the template's sample
PROGRESS_EVERY = 250  # rows between two progress reports


class Imported(list):
    """What an import saved (one entry per saved row) and the template sample rows it skipped."""

    def __init__(self, saved=(), samples=()):
        super().__init__(saved)
        self.samples = list(samples)


def is_sample(row: list) -> bool:
    """The template's example row: its first cell reads 示例… / example… (it is never imported)."""
    first = row[0] if row else None
    return isinstance(first, str) and first.strip().lower().startswith(SAMPLE_MARKS)


def split_samples(rows: list[list], start: int = 2) -> tuple[list[tuple[int, list]], list[int]]:
    """The data rows as (spreadsheet row number, values) without the sample rows, and the
    numbers of the sample rows left out."""
    kept, samples = [], []
    for row_no, row in enumerate(rows, start=start):
        if is_sample(row):
            samples.append(row_no)
        else:
            kept.append((row_no, row))
    return kept, samples


class Book:
    """An uploaded .xlsx read as values. A formula cell gives the value Excel saved with it (its
    cached result); a formula without one (a file written by a program that does not calculate)
    is refused naming its row and column, never read as empty."""

    def __init__(self, data: bytes):
        from openpyxl import load_workbook

        from csm.errors import UserError

        self._data = data
        try:
            self._wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as exc:  # not a zip, or a zip that is not a workbook (a renamed text file...)
            raise UserError("excel.error.unreadable") from exc
        self._cached = None
        self.sheetnames = list(self._wb.sheetnames)

    def rows(self, sheet: str | None = None, progress=None) -> list[list]:
        """The sheet's rows (the first sheet if `sheet` is None or missing) as lists of values.
        progress(done, total) is called every PROGRESS_EVERY rows."""
        from csm.errors import UserError, ValidationFailed

        name = sheet if sheet in self.sheetnames else self.sheetnames[0]
        ws = self._wb[name]
        total = ws.max_row or 0
        rows: list[list] = []
        formulas: list[tuple[int, int]] = []
        try:
            for r, cells in enumerate(ws.iter_rows(), start=1):
                values = []
                for c, cell in enumerate(cells):
                    if getattr(cell, "data_type", None) == "f":
                        formulas.append((r, c))
                    values.append(cell.value)
                rows.append(values)
                if progress and r % PROGRESS_EVERY == 0:
                    progress(r, max(total, r))
        except Exception as exc:  # a damaged sheet
            raise UserError("excel.error.unreadable") from exc
        if progress:
            progress(len(rows), len(rows))
        if not formulas:
            return rows
        cached = self._cached_values(name, {r for r, _ in formulas})
        problems = []
        for r, c in formulas:
            value = cached.get((r, c))
            if value is None:
                header = rows[0][c] if r > 1 and c < len(rows[0]) and rows[0][c] is not None else ""
                problems.append(UserError("excel.error.formula", row=r, column=get_column_letter(c + 1),
                                          header=str(header).strip(), formula=str(rows[r - 1][c])))
            else:
                rows[r - 1][c] = value
        if problems:
            raise ValidationFailed(problems)
        return rows

    def _cached_values(self, name: str, wanted_rows: set[int]) -> dict[tuple[int, int], object]:
        from openpyxl import load_workbook

        if self._cached is None:
            self._cached = load_workbook(io.BytesIO(self._data), read_only=True, data_only=True)
        out = {}
        for r, values in enumerate(self._cached[name].iter_rows(values_only=True), start=1):
            if r in wanted_rows:
                out |= {(r, c): v for c, v in enumerate(values) if v is not None and v != ""}
        return out
