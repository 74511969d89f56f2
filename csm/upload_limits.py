"""Limits on an uploaded file (issue 12): its size (config.max_upload_mb(), the same figure as
.streamlit/config.toml server.maxUploadSize) and, for an import, its number of data rows
(config.max_import_rows()). Both are checked before the file is parsed row by row: a 200,000-row
workbook is refused after counting its rows in the compressed sheet (seconds), not after building
every row (minutes and gigabytes). Shared below the capabilities; the importers call `check`.
"""

from __future__ import annotations

import io
import re
import zipfile

from csm import config
from csm.errors import UserError

CHUNK = 1 << 20
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_TAIL = 32  # bytes kept between two chunks: a tag cut in two is still counted once


def check_size(data: bytes, filename: str) -> None:
    limit = config.max_upload_mb()
    if len(data) > limit * 1024 * 1024:
        raise UserError("upload.error.too_big", name=filename, size=f"{len(data) / (1024 * 1024):.1f}",
                        limit=limit)


def _sheet_rows(zf: zipfile.ZipFile, name: str, stop: int) -> int:
    """The <row> elements of one worksheet's XML, counted (bytes.count, no XML parsing) while it
    is decompressed; stops once over `stop` (the answer is then only "too many")."""
    n, tail, tags = 0, b"", None

    def count(buf: bytes) -> int:
        return sum(buf.count(tag) for tag in tags)

    with zf.open(name) as stream:
        while chunk := stream.read(CHUNK):
            buf = tail + chunk
            if tags is None:  # the sheet's namespace prefix, if it uses one (<x:worksheet> … <x:row>)
                m = _ROOT.search(buf)
                prefix = (m.group(1) or b"") if m else b""
                tags = (b"<" + prefix + b"row ", b"<" + prefix + b"row>")
            # a tag inside the kept tail is counted with the next chunk, not twice
            tail = buf[-_TAIL:]
            n += count(buf) - count(tail)
            if n > stop:
                return n
    return n + (count(tail) if tags else 0)


def xlsx_rows(data: bytes, stop: int | None = None) -> int:
    """The rows of the largest worksheet of an .xlsx (header included), without reading any cell;
    0 for a file that is not a workbook (the reader then refuses it with its own message)."""
    stop = stop if stop is not None else 1 << 62
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return max((_sheet_rows(zf, n, stop) for n in sheets), default=0)
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, RuntimeError):
        return 0


def csv_rows(data: bytes) -> int:
    """Lines of a CSV file (header included; a quoted line break counts as a line)."""
    n = data.count(b"\n")
    return n + (1 if data and not data.endswith(b"\n") else 0)


def data_rows(data: bytes, filename: str, stop: int | None = None) -> int:
    """The data rows of an upload (its lines or sheet rows less the header line)."""
    name = filename.lower()
    total = xlsx_rows(data, stop + 1 if stop is not None else None) if name.endswith(".xlsx") else \
        csv_rows(data) if name.endswith(".csv") else 0
    return max(total - 1, 0)


def check(data: bytes, filename: str) -> None:
    """Refuses an upload over the size limit, then an import over the row limit — before parsing."""
    check_size(data, filename)
    limit = config.max_import_rows()
    n = data_rows(data, filename, stop=limit)
    if n > limit:
        raise UserError("upload.error.too_many_rows", name=filename, n=f"{n:,}" if n <= limit + 1 else f"{limit:,}+",
                        limit=f"{limit:,}")
