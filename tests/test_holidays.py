"""The working calendar of years the national holiday package does not cover: the notice from
September 1 of the year before, the import of a year's dates, where each year comes from, and
calendars on by default (migration 013)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from csm import admin, sla
from csm.admin import holidays
from csm.errors import ValidationFailed
from tests.apptest_helpers import app_as, open_page, texts
from tests.conftest import branch_id

SH = ZoneInfo("Asia/Shanghai")
URGENT = sla.Limits(10, 24, 48)
UP_TO_2026 = frozenset(range(2004, 2027))


def csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_notice_from_september_first_of_the_year_before():
    assert holidays.missing_years(date(2026, 8, 31), UP_TO_2026) == []
    assert holidays.missing_years(date(2026, 9, 1), UP_TO_2026) == [2027]
    assert holidays.missing_years(date(2026, 12, 1), UP_TO_2026 | {2027}) == []  # a package covering 2027
    assert holidays.missing_years(date(2026, 9, 1), UP_TO_2026, {2027: 30}) == []  # 2027 entered
    assert holidays.missing_years(date(2027, 3, 1), UP_TO_2026) == [2027]  # still missing in the year itself


def test_package_years_are_the_installed_package():
    years = holidays.package_years()
    assert 2025 in years and min(years) <= 2010
    assert all(isinstance(y, int) for y in years)


def test_due_time_across_a_holiday_of_an_entered_year(db):
    b1 = branch_id(db, "B01")
    cal = sla.calendar_for_branch(db, b1)  # on by default
    received = datetime(2031, 9, 30, 17, 0, tzinfo=SH)  # a Tuesday, a year no package covers
    assert 2031 not in holidays.package_years()
    # without the year's dates: Monday to Friday only
    assert sla.due_times(received, URGENT, cal).resolve_due_at == datetime(2031, 10, 2, 17, 0, tzinfo=SH)
    rows = holidays.read_dates(csv("日期,类型,备注\n" + "".join(f"2031-10-0{d},假日,国庆节\n" for d in range(1, 8))
                                   + "2031-09-28,调休上班,国庆调休\n"), "holidays-2031.csv")
    assert holidays.import_dates(db, "admin", rows) == (8, 0)
    cal = sla.calendar_for_branch(db, b1)
    # two working days: 1 h on Sep 30, then Oct 8 and Oct 9 after the holidays
    assert sla.due_times(received, URGENT, cal).resolve_due_at == datetime(2031, 10, 9, 17, 0, tzinfo=SH)
    assert cal.is_workday(date(2031, 9, 28))  # the make-up Sunday
    # the same file again adds nothing; the year now counts as entered
    assert holidays.import_dates(db, "admin", rows) == (0, 8)
    assert holidays.entered_years(db)[2031] == 8
    sources = {y.year: y.source for y in holidays.sources(db, date(2031, 1, 5), UP_TO_2026)}
    assert sources == {2030: "weekdays", 2031: "entered", 2032: "weekdays"}
    assert {y.year: y.source for y in holidays.sources(db, date(2026, 1, 5), UP_TO_2026)}[2026] == "package"
    logged = db.rows("admin/audit_search", {"actor": "admin", "action": "create", "entity": "calendar_override",
                                            "since": None, "until": None, "limit": 100})
    assert len(logged) == 8


def test_import_refuses_bad_rows_by_number(db):
    with pytest.raises(ValidationFailed) as err:
        holidays.read_dates(csv("date,kind\n2031-02-30,holiday\n2031-05-01,vacation\n2031-05-01,holiday\n"),
                            "x.csv")
    assert err.value.messages() == [
        "第 2 行 · 日期：“2031-02-30”不是有效日期（格式 2027-10-01）",
        "第 3 行 · 类型：“vacation”应为 假日 或 调休上班",
    ] or err.value.messages()[:2] == [
        "第 2 行 · 日期：“2031-02-30”不是有效日期（格式 2027-10-01）",
        "第 3 行 · 类型：“vacation”应为 假日 或 调休上班",
    ]
    with pytest.raises(ValidationFailed) as err:
        holidays.read_dates(csv("日期,类型\n2031-05-01,假日\n2031-05-01,调休上班\n"), "x.csv")
    assert err.value.messages() == ["第 3 行 · 日期：2031-05-01 与第 2 行重复"]
    with pytest.raises(Exception) as err:
        holidays.read_dates(b"MZ\x90\x00 not a table", "setup.exe")
    assert err.value.message() == "无法读取该文件：请上传 CSV 或 Excel（.xlsx）文件。"
    assert holidays.entered_years(db) == {}


def test_import_from_excel(db):
    import io

    buf = io.BytesIO()
    pd.DataFrame({"日期": [date(2031, 1, 1), date(2031, 1, 4)], "类型": ["假日", "调休上班"],
                  "备注": ["元旦", None]}).to_excel(buf, index=False)
    rows = holidays.read_dates(buf.getvalue(), "2031.xlsx")
    assert rows == [{"day": date(2031, 1, 1), "kind": "holiday", "note": "元旦"},
                    {"day": date(2031, 1, 4), "kind": "workday", "note": None}]


def test_new_branch_and_demo_branches_have_the_calendar_on(db):
    assert sla.calendar_for_branch(db, branch_id(db, "B01")) is not None
    base = admin.load_grid(db, admin.BRANCHES)
    edited = pd.concat([base, pd.DataFrame([{"code": "B09", "name": "新分公司", "active": True}])],
                       ignore_index=True)
    assert admin.save_grid(db, "admin", admin.BRANCHES, base, edited) == 1
    new = branch_id(db, "B09")
    cal = sla.calendar_for_branch(db, new)
    assert cal is not None and cal.use_chinese_holidays and cal.work_start == time(9, 0)
    shown = admin.load_grid(db, admin.CALENDARS).set_index("id")
    assert bool(shown.loc[new, "enabled"]) and bool(shown.loc[new, "use_chinese_holidays"])
    # a row stored without naming `enabled` (the migration's column default) is on too
    db.transaction(lambda tx: tx.cur.execute(f"INSERT INTO work_calendars (branch_id) VALUES ({new})"))
    assert sla.calendar_for_branch(db, new) is not None
    # turned off by the administrator: calendar time
    edited = admin.load_grid(db, admin.CALENDARS)
    base = edited.copy()
    edited.loc[edited["id"] == new, "enabled"] = False
    assert admin.save_grid(db, "admin", admin.CALENDARS, base, edited) == 1
    assert sla.calendar_for_branch(db, new) is None


def _today_years(monkeypatch, covered: frozenset[int]) -> None:
    monkeypatch.setattr(holidays, "package_years", lambda: covered)


def test_admin_is_warned_on_home_and_calendar_page(db_path, monkeypatch):
    this_year = datetime.now(SH).year
    _today_years(monkeypatch, frozenset(range(2004, this_year)))  # the package lacks this year
    at = app_as("admin")
    at.run()  # the first page after login: home
    assert not at.exception
    warned = [w.value for w in at.warning if "尚未收录" in w.value]
    assert warned and str(this_year) in warned[0], texts(at)
    at = open_page("admin", "admin_reference")
    assert not at.exception
    assert any(str(this_year) in w.value and "尚未收录" in w.value for w in at.warning)
    # other roles are not told
    at = app_as("hq")
    at.run()
    assert not [w for w in at.warning if "尚未收录" in w.value]


def test_no_warning_when_the_package_covers_the_years(db_path, monkeypatch):
    this_year = datetime.now(SH).year
    _today_years(monkeypatch, frozenset(range(2004, this_year + 2)))
    at = app_as("admin")
    at.run()
    assert not at.exception
    assert not [w for w in at.warning if "尚未收录" in w.value]
    at = open_page("admin", "admin_reference", tab="工作日历")
    shown = next(d.value for d in at.dataframe if "来源" in d.value.columns)
    assert set(shown["来源"]) == {"节假日库（chinese-calendar）"}
