"""Reading cells and files (issue 11): dates in the common formats and Excel serials, chosen per
file with a suggestion, times in the company's zone; encodings and delimiters detected; column
names suggested from Chinese and English headers, also fuzzy; typed rows for the targets."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from csm.errors import UserError
from csm.importing import reader, run
from csm.importing.mapping import Mapping, suggest_columns, suggest_values
from csm.importing.target import Choice, Field
from csm.importing.values import cell, suggest_date_format

TZ = "Asia/Shanghai"


@pytest.mark.parametrize(("typed", "fmt", "expected"), [
    ("2024-03-05 14:30", "ymd", datetime(2024, 3, 5, 14, 30)),
    ("2024/3/5", "ymd", datetime(2024, 3, 5)),
    ("2024年3月5日 9时05分", "ymd", datetime(2024, 3, 5, 9, 5)),
    ("2024-03-05T14:30:15", "mdy", datetime(2024, 3, 5, 14, 30, 15)),  # year first reads in every format
    ("20240305", "dmy", datetime(2024, 3, 5)),
    ("3/5/24 14:30", "mdy", datetime(2024, 3, 5, 14, 30)),
    ("3/5/24 14:30", "dmy", datetime(2024, 5, 3, 14, 30)),
    ("05.03.2024", "dmy", datetime(2024, 3, 5)),
    ("3/5/2024 2:30 PM", "mdy", datetime(2024, 3, 5, 14, 30)),
    ("3/5/2024 12:05 a.m.", "mdy", datetime(2024, 3, 5, 0, 5)),
    ("2024/3/5 下午 2:30", "ymd", datetime(2024, 3, 5, 14, 30)),
    ("45356.604166666664", "ymd", datetime(2024, 3, 5, 14, 30)),  # an Excel serial as text
    (45356.604166666664, "mdy", datetime(2024, 3, 5, 14, 30)),  # and as a number
    (datetime(2024, 3, 5, 14, 30), "dmy", datetime(2024, 3, 5, 14, 30)),  # a cell Excel stored as a date
])
def test_dates_in_the_common_formats_are_read_in_the_company_zone(typed, fmt, expected):
    at = cell(typed, "datetime", tz=TZ, date_format=fmt)
    assert at == expected.replace(tzinfo=ZoneInfo(TZ)) and at.utcoffset().total_seconds() == 8 * 3600
    assert cell(typed, "date", tz=TZ, date_format=fmt) == expected.date()


@pytest.mark.parametrize(("typed", "fmt"), [("2024-02-30", "ymd"), ("3/5/24", "ymd"), ("13/13/24", "dmy"),
                                            ("yesterday", "ymd"), ("2024-03-05 25:00", "ymd"),
                                            ("3/5/2024 13:30 PM", "mdy")])
def test_a_date_that_is_not_one_is_named(typed, fmt):
    with pytest.raises(UserError) as exc:
        cell(typed, "date", tz=TZ, date_format=fmt)
    assert exc.value.message() == f"“{typed}”不是所选格式的日期"


def test_the_date_format_is_suggested_from_the_file():
    assert suggest_date_format(["2024-03-05", "2024/3/6 10:00"]) == "ymd"
    assert suggest_date_format(["3/5/24 14:30", "12/1/24"]) == "mdy"  # month first unless a day says otherwise
    assert suggest_date_format(["3/5/24", "25/12/24"]) == "dmy"
    assert suggest_date_format([]) == "ymd"


def test_cells_by_kind():
    assert cell(101.0, "text", tz=TZ, date_format="ymd") == "101"  # a unit number Excel stored as a number
    assert cell(" 1,234.5 ", "number", tz=TZ, date_format="ymd") == 1234.5
    assert cell("7", "int", tz=TZ, date_format="ymd") == 7
    assert cell("138-0013 8000", "phone", tz=TZ, date_format="ymd") == "13800138000"
    assert cell("是", "bool", tz=TZ, date_format="ymd") is True
    assert cell("PLUMBING", "choice", tz=TZ, date_format="ymd", values={"PLUMBING": "12"}) == "12"
    assert cell("  ", "text", tz=TZ, date_format="ymd") is None
    for value, kind, key in (("7.5", "int", "imports.error.int"), ("abc", "number", "imports.error.number"),
                             ("GAS", "choice", "imports.error.unmapped"), ("n/a", "phone", "imports.error.phone"),
                             ("x" * 11, "text", "imports.error.too_long")):
        with pytest.raises(UserError) as exc:
            cell(value, kind, tz=TZ, date_format="ymd", values={}, max_chars=10)
        assert exc.value.key == key


def test_encodings_and_delimiters_are_detected_or_chosen():
    text = "项目;房号\nP001;1-0101\n"
    for enc, found in (("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("gbk", "gb18030"), ("gb18030", "gb18030")):
        sheet = reader.read(text.encode(enc), "a.csv")
        assert (sheet.encoding, sheet.delimiter, sheet.headers, sheet.rows) == \
            (found, ";", ["项目", "房号"], [(2, ["P001", "1-0101"])]), enc
    tabbed = "项目\t房号\tx\nP001\t1-0101\t\n".encode("gb18030")
    assert reader.read(tabbed, "a.csv").delimiter == "\t"
    chosen = reader.read(tabbed, "a.csv", reader.ReadOptions(encoding="gb18030", delimiter=","))
    assert chosen.headers == ["项目 房号 x"]  # one column: its name shown with the tabs as spaces
    with pytest.raises(UserError) as exc:
        reader.read("项目\n".encode("gbk"), "a.csv", reader.ReadOptions(encoding="utf-8"))
    assert exc.value.key == "imports.error.encoding"


def test_the_header_is_the_first_non_empty_row_and_sample_rows_are_left_out(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["住户清单（2026年）"])  # a title line above the header is common in ledgers
    ws.append([])
    ws.append(["项目", "房号", None, "房号"])
    ws.append(["示例：P001", "1-0101"])
    ws.append(["P001", 101])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    sheet = reader.read(path.read_bytes(), "t.xlsx")
    assert sheet.headers == ["住户清单（2026年）"]  # the first non-empty row, as the user sees it in the preview
    ws.delete_rows(1, 2)
    wb.save(path)
    sheet = reader.read(path.read_bytes(), "t.xlsx")
    assert sheet.headers == ["项目", "房号", "#3", "房号 (2)"] and sheet.rows == [(3, ["P001", 101, None, None])]
    assert sheet.samples == [2] and len(sheet.fingerprint) == 64


class _Target:
    name = "demo"
    label = "imports.target.households"
    natural_key = ()
    fields = (Field("received_at", "field.import_moved_in_on", "datetime", required=True,
                    aliases=("受理时间", "received at", "created")),
              Field("category", "field.import_owner", "choice", aliases=("投诉类别", "category", "type")),
              Field("phone", "field.import_phone", "phone", aliases=("联系电话", "phone")))


def test_columns_are_suggested_from_chinese_english_and_fuzzy_names():
    t = _Target()
    assert suggest_columns(t, ["受理时间", "投诉类别", "联系电话"]) == \
        {"received_at": "受理时间", "category": "投诉类别", "phone": "联系电话"}
    assert suggest_columns(t, ["RECEIVED_AT", "Category Name", "Phone No"]) == \
        {"received_at": "RECEIVED_AT", "category": "Category Name", "phone": "Phone No"}
    assert suggest_columns(t, ["Recieved At", "Remarks"]) == {"received_at": "Recieved At"}  # a typo, fuzzy
    assert suggest_values([Choice("12", "工程 / 给水管"), Choice("13", "安保 / 门岗")], ["给水管", "PLUMBING"]) == {"给水管": "12"}


def test_typed_rows_carry_python_values_and_the_line():
    t = _Target()
    sheet = reader.read("受理时间,投诉类别,联系电话\n2024-03-05 14:30,PLUMBING,13800138000\n,GAS,\n"
                        .encode(), "c.csv")
    rows, rejected = run.typed_rows(t, sheet, Mapping(columns={"received_at": "受理时间", "category": "投诉类别",
                                                               "phone": "联系电话"}, values={"category": {"PLUMBING": "12"}}),
                                    TZ)
    assert list(rows["_line"]) == [2]
    first = rows.iloc[0]
    assert first["received_at"] == datetime(2024, 3, 5, 14, 30, tzinfo=ZoneInfo(TZ))
    assert isinstance(first["received_at"], datetime) and first["category"] == "12" and first["phone"] == "13800138000"
    assert [(o.line, o.column, o.reason.key) for o in rejected] == [(3, "received_at", "imports.error.required")]
    assert cell("2024-03-05", "date", tz=TZ, date_format="ymd") == date(2024, 3, 5)
