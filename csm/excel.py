"""Excel export of any list shown on screen: translated headers, overdue rows in red (openpyxl)."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

RED = PatternFill("solid", start_color="FFF2C7CE", end_color="FFF2C7CE")
RED_FONT = Font(color="FF9C0006")


def frame_to_xlsx(frame: pd.DataFrame, headers: dict[str, str], sheet: str = "Sheet1",
                  red_rows: pd.Series | None = None, tz: str | None = None) -> bytes:
    """Columns in `headers` order, named by it; rows where red_rows is True filled red."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    cols = [c for c in headers if c in frame.columns]
    ws.append([headers[c] for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, (_, row) in enumerate(frame[cols].iterrows()):
        values = []
        for c in cols:
            v = row[c]
            if isinstance(v, (pd.Timestamp, datetime)):
                if v.tzinfo is not None and tz:
                    v = v.tz_convert(tz) if isinstance(v, pd.Timestamp) else v.astimezone()
                v = v.replace(tzinfo=None)
            elif v is not None and pd.isna(v):
                v = None
            values.append(v)
        ws.append(values)
        if red_rows is not None and bool(red_rows.iloc[i]):
            for cell in ws[ws.max_row]:
                cell.fill = RED
                cell.font = RED_FONT
    for idx, c in enumerate(cols, start=1):
        width = max([len(str(headers[c]))] + [len(str(v)) for v in frame[c].head(200)]) + 2
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width * 1.3, 8), 60)
        if pd.api.types.is_datetime64_any_dtype(frame[c]):
            for cell in ws.iter_cols(min_col=idx, max_col=idx, min_row=2):
                for x in cell:
                    x.number_format = "yyyy-mm-dd hh:mm"
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
