"""Counting an upload's rows without reading them (csm/upload_limits.py): the count equals what a
reader finds, whatever wrote the workbook, and a file over the limit is refused before parsing."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from csm import upload_limits
from csm.errors import UserError


def workbook(n: int, write_only: bool = True) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("表") if write_only else wb.active
    ws.append(["项目编号", "内容"])
    for i in range(n):
        ws.append(["P001", f"第{i}行 <row> 不是一行"])  # a cell's text naming the tag is escaped: not counted
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("n", [0, 1, 999, 5000])
@pytest.mark.parametrize("write_only", [True, False])
def test_rows_counted_as_openpyxl_reads_them(n, write_only):
    data = workbook(n, write_only)
    ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert upload_limits.xlsx_rows(data) == sum(1 for _ in ws.iter_rows()) == n + 1
    assert upload_limits.data_rows(data, "f.xlsx") == n


def test_a_sheet_with_a_namespace_prefix_is_counted_too():
    """Some writers prefix every element (<x:worksheet> … <x:row>)."""
    data = workbook(30)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            if name.startswith("xl/worksheets/"):
                body = (body.replace(b"<worksheet", b"<x:worksheet").replace(b"</worksheet", b"</x:worksheet")
                        .replace(b"<row ", b"<x:row ").replace(b"</row>", b"</x:row>")
                        .replace(b'xmlns="', b'xmlns:x="', 1))
            dst.writestr(name, body)
    assert upload_limits.xlsx_rows(out.getvalue()) == 31


def test_counting_stops_once_over_the_limit():
    data = workbook(5000)
    assert upload_limits.xlsx_rows(data, stop=100) > 100


def test_csv_lines_and_what_is_not_a_workbook():
    assert upload_limits.data_rows("项目编号,内容\nP001,a\nP001,b".encode(), "x.csv") == 2
    assert upload_limits.data_rows(b"a,b\n1,2\n", "x.csv") == 1
    assert upload_limits.xlsx_rows(b"not a zip") == 0  # the reader refuses it with its own message


def test_check_refuses_size_then_rows(monkeypatch):
    monkeypatch.setenv("CSM_MAX_IMPORT_ROWS", "10")
    upload_limits.check(workbook(10), "ok.xlsx")  # at the limit: accepted
    with pytest.raises(UserError) as info:
        upload_limits.check(workbook(11), "big.xlsx")
    assert info.value.message() == ("文件「big.xlsx」有 11 行数据，超过每次导入 10 行的上限，未导入任何内容。"
                                    "请拆分成多个文件后再导入。")
    monkeypatch.setenv("CSM_MAX_UPLOAD_MB", "1")
    with pytest.raises(UserError) as info:
        upload_limits.check(b"x" * (1024 * 1024 + 1), "huge.csv")
    assert info.value.message() == "文件「huge.csv」有 1.0 MB，超过每个文件 1 MB 的上限，未导入任何内容。"


def test_the_upload_limit_is_the_servers(monkeypatch):
    """The domain's limit per file is Streamlit's maxUploadSize: the browser and the importer agree."""
    import tomllib

    from csm import config
    from csm.complaints import ATTACH_MAX_BYTES

    monkeypatch.delenv("CSM_MAX_UPLOAD_MB", raising=False)
    server = tomllib.loads((config.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] == config.max_upload_mb() == ATTACH_MAX_BYTES // (1024 * 1024)
