"""Every form with a typed date refuses an impossible or out-of-range date with the field named,
keeps the typed text in the box and saves nothing; a good date is saved exactly as typed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from csm import dates
from csm.org import users
from tests.apptest_helpers import open_page, submit_form, texts
from tests.test_complaints_pages import fill_intake, save

ZONE = ZoneInfo("Asia/Shanghai")


def local_today():
    return datetime.now(ZONE).date()


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-02-30", "受理日期: 没有 2026-02-30 这一天"),
    ("1900-01-01", "受理日期: 1900-01-01 太早"),
    ("tomorrow", "不能晚于"),
    ("2026-13-01", "受理日期: 没有 2026-13-01 这一天"),
    ("", "受理日期: 必填"),
])
def test_intake_refuses_a_bad_received_date_and_keeps_it(db_path, db, typed, message):
    if typed == "tomorrow":
        typed = (local_today() + timedelta(days=1)).isoformat()
    before = db.value("complaints/latest_code")
    at = open_page("clerk1", "intake")
    fill_intake(at, db)
    at.text_input(key="intake.rdate.0").input(typed)
    save(at)
    assert not at.exception
    assert message in texts(at)
    assert at.text_input(key="intake.rdate.0").value == typed  # the box keeps what was typed
    assert at.text_input(key="intake.name.0").value == "赵先生"
    assert db.value("complaints/latest_code") == before  # nothing saved


def test_intake_refuses_a_time_still_to_come(db_path, db):
    later = datetime.now(ZONE) + timedelta(hours=2)
    if later.date() != local_today():
        pytest.skip("two hours from now is tomorrow")
    before = db.value("complaints/latest_code")
    at = open_page("clerk1", "intake")
    fill_intake(at, db)
    at.text_input(key="intake.rtime.0").input(later.strftime("%H:%M"))
    save(at)
    assert "受理时刻: " in texts(at) and "还没到" in texts(at)
    assert db.value("complaints/latest_code") == before


def test_intake_saves_the_typed_day_and_time_exactly(db_path, db):
    day = local_today() - timedelta(days=3)
    at = open_page("clerk1", "intake")
    fill_intake(at, db)
    at.text_input(key="intake.rdate.0").input(day.strftime("%Y/%m/%d").replace("/0", "/"))
    at.text_input(key="intake.rtime.0").input("8:15")
    save(at)
    assert not at.exception
    row = db.one("complaints/id_by_code", {"code": db.value("complaints/latest_code"), "scope_kind": "group",
                                          "scope_id": -1})
    received = db.one("complaints/row", {"id": row["id"]})["received_at"]
    assert received.astimezone(ZONE).replace(tzinfo=None) == datetime(day.year, day.month, day.day, 8, 15)


def test_move_in_refuses_an_impossible_day(db_path, db):
    p1 = users.get(db, "clerk1")["scope_id"]
    before = db.value("revisits/count_for_project", {"project_id": p1})
    at = open_page("clerk1", "residents")
    at.text_input(key="residents.mi_name").input("冯晓")
    at.text_input(key="residents.mi_phone").input("13700001234")
    at.text_input(key="residents.mi_day").input("2026-02-30")
    submit_form(at, "residents.move_in_form")
    assert "入住日期: 没有 2026-02-30 这一天" in texts(at)
    assert at.text_input(key="residents.mi_day").value == "2026-02-30"
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before


def test_service_record_refuses_1900(db_path, db):
    p1 = users.get(db, "clerk1")["scope_id"]
    before = db.value("revisits/count_for_project", {"project_id": p1})
    at = open_page("clerk1", "service_records")
    at.text_input(key="service.unit").input("1-0101")
    at.text_area(key="service.description").input("更换卫生间角阀")
    at.text_input(key="service.day").input("1900-01-01")
    submit_form(at, "service.form")
    assert "完成时间: 1900-01-01 太早" in texts(at)
    assert at.text_input(key="service.day").value == "1900-01-01"
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before


def test_new_corrective_action_refuses_month_13(db_path, db):
    before = len(db.df("surveys/actions", {"scope_kind": "group", "scope_id": None, "wave_id": None,
                                               "status": None, "today": local_today()}))
    at = open_page("manager_b1", "survey_actions")
    at.text_area(key="survey_actions.new_problem").input("电梯故障多")
    at.text_area(key="survey_actions.new_measure").input("更换主板")
    at.text_input(key="survey_actions.new_owner").input("工程部 王工")
    at.text_input(key="survey_actions.new_deadline").input("2026-13-01")
    submit_form(at, "survey_actions.new_form")
    assert "完成期限: 没有 2026-13-01 这一天" in texts(at)
    assert at.text_input(key="survey_actions.new_deadline").value == "2026-13-01"
    assert len(db.df("surveys/actions", {"scope_kind": "group", "scope_id": None, "wave_id": None,
                                             "status": None, "today": local_today()})) == before


def test_wave_plan_refuses_an_end_before_its_start(db_path, db):
    start, end = (local_today() + timedelta(days=40)).isoformat(), (local_today() + timedelta(days=10)).isoformat()
    before = len(db.df("surveys/waves", {"scope_kind": "group", "scope_id": None}))
    at = open_page("manager_b1", "survey_waves")
    at.text_input(key="survey_waves.name").input("2027年春季满意度调查")
    at.text_area(key="survey_waves.purpose").input("了解业主满意程度")
    at.text_input(key="survey_waves.starts_on").input(start)
    at.text_input(key="survey_waves.ends_on").input(end)
    submit_form(at, "survey_waves.new_form")
    assert f"结束日期: 不能早于开始日期 {start}" in texts(at)
    assert at.text_input(key="survey_waves.ends_on").value == end
    assert len(db.df("surveys/waves", {"scope_kind": "group", "scope_id": None})) == before


def test_deadline_box_shows_the_stored_day(db_path, db):
    at = open_page("manager_b1", "survey_actions")
    picked = at.selectbox(key="survey_actions.pick").value
    stored = db.one("surveys/action", {"id": picked, "scope_kind": "group", "scope_id": None})["deadline"]
    assert at.text_input(key=f"survey_actions.deadline.{picked}").value == dates.as_text(stored)

