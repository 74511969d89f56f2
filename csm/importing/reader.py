"""Reading an uploaded file into a header and rows of cell values: .xlsx (openpyxl, read-only),
.xls (python-calamine) and .csv in UTF-8 (with or without BOM) or GBK/GB18030, any delimiter.
The encoding and delimiter are detected unless the user chose them; a file over the upload size
or row limit (csm.config) is refused before it is read row by row."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from csm import config, excel
from csm.errors import UserError

ENCODINGS = ("utf-8-sig", "utf-8", "gb18030", "gbk", "big5", "utf-16")
DELIMITERS = (",", ";", "\t", "|")
KINDS = ("xlsx", "xls", "csv")
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class ReadOptions:
    """What the user chose for a file (None: detected)."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass
class Sheet:
    """A file as read: its header (the first non-empty row) and the data rows below it, each with
    its line in the file (the header's line + 1 …), and what was detected."""

    file_name: str
    fingerprint: str
    kind: str
    headers: list[str]
    rows: list[tuple[int, list]]
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    samples: list[int] = field(default_factory=list)  # lines of template sample rows left out

    def column(self, header: str) -> list:
        i = self.headers.index(header)
        return [r[i] if i < len(r) else None for _, r in self.rows]


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(file_name: str) -> str:
    ext = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if ext not in KINDS:
        raise UserError("imports.error.kind", name=file_name)
    return ext


def check_size(data: bytes) -> None:
    limit = config.max_upload_mb()
    if len(data) > limit * 1024 * 1024:
        raise UserError("imports.error.too_big", mb=round(len(data) / 1024 / 1024, 1), limit=limit)
    if not data:
        raise UserError("imports.error.empty")


def check_rows(n: int) -> None:
    limit = config.max_import_rows()
    if n > limit + 1:  # the header row is not a data row
        raise UserError("imports.error.too_many_rows", n=n - 1, limit=limit)


def read(data: bytes, file_name: str, options: ReadOptions | None = None, progress=None) -> Sheet:
    """The file's header and rows. progress(done, total) while reading."""
    options = options or ReadOptions()
    check_size(data)
    kind = kind_of(file_name)
    encoding = delimiter = None
    sheets: list[str] = []
    sheet = None
    if kind == "xlsx":
        sheets, sheet, rows = _xlsx(data, options.sheet, progress)
    elif kind == "xls":
        sheets, sheet, rows = _xls(data, options.sheet, progress)
    else:
        encoding, delimiter, rows = _csv(data, options, progress)
    return _shape(file_name, fingerprint(data), kind, rows, sheets, sheet, encoding, delimiter)


def _shape(file_name, fp, kind, rows, sheets, sheet, encoding, delimiter) -> Sheet:
    start = next((i for i, r in enumerate(rows) if any(_blank(v) is False for v in r)), None)
    if start is None:
        raise UserError("imports.error.no_header")
    header = [_header(v) for v in rows[start]]
    while header and not header[-1]:
        header.pop()
    seen: dict[str, int] = {}
    for i, h in enumerate(header):  # empty or repeated headers get a name the user can tell apart
        h = h or f"#{i + 1}"
        seen[h] = seen.get(h, 0) + 1
        header[i] = h if seen[h] == 1 else f"{h} ({seen[h]})"
    body = []
    for i, r in enumerate(rows[start + 1:], start=start + 2):
        cells = list(r[: len(header)]) + [None] * (len(header) - len(r))
        if any(_blank(v) is False for v in cells):
            body.append((i, cells))
    kept, samples = [], []
    for line, cells in body:
        if excel.is_sample(cells):
            samples.append(line)
        else:
            kept.append((line, cells))
    return Sheet(file_name, fp, kind, header, kept, sheets, sheet, encoding, delimiter, samples)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _header(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


def _xlsx(data: bytes, wanted: str | None, progress):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not a zip, or a zip that is not a workbook
        raise UserError("imports.error.unreadable", name="xlsx") from exc
    names = list(wb.sheetnames)
    name = wanted if wanted in names else names[0]
    check_rows(wb[name].max_row or 0)
    wb.close()
    # csm.excel.Book gives a formula's saved value and refuses one without (naming row and column)
    rows = excel.Book(data).rows(name, progress=progress)
    check_rows(len(rows))
    return names, name, rows


def _xls(data: bytes, wanted: str | None, progress):
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
        name = wanted if wanted in names else names[0]
        sheet = wb.get_sheet_by_name(name)
        check_rows((sheet.end or (-1, 0))[0] + 1)  # the last used row (0-based), before reading the cells
        rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        check_rows(len(rows))
    except UserError:
        raise
    except Exception as exc:
        raise UserError("imports.error.unreadable", name="xls") from exc
    rows = [[None if v == "" else v for v in r] for r in rows]
    if progress:
        progress(len(rows), len(rows))
    return names, name, rows


def detect_encoding(data: bytes) -> str:
    """utf-8-sig (a BOM), utf-8 (decodes), else charset-normalizer's pick among the Chinese
    encodings (GBK is read as its superset GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["gb18030", "gbk", "gb2312", "big5", "utf_16"]).best()
    enc = (best.encoding if best else "gb18030").replace("_", "-")
    return "gb18030" if enc in ("gbk", "gb2312", "gb18030") else enc


def detect_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv(data: bytes, options: ReadOptions, progress):
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError("imports.error.unreadable", name="csv")  # a binary file named .csv
    encoding = options.encoding or detect_encoding(data)
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UserError("imports.error.encoding", encoding=encoding) from exc
    delimiter = options.delimiter or detect_delimiter(text)
    rows = []
    limit = config.max_import_rows() + 1
    for i, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if i > limit:  # refused as soon as the limit is passed, not after reading everything
            check_rows(i)
        rows.append([v if v != "" else None for v in r])
        if progress and i % PROGRESS_EVERY == 0:
            progress(i, i)
    check_rows(len(rows))
    if progress:
        progress(len(rows), len(rows))
    return encoding, delimiter, rows
