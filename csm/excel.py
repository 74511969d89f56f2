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
