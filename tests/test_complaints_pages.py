"""AppTest journeys: a clerk files a complaint through the form; a supervisor works it to closed."""

from __future__ import annotations

from datetime import timedelta

from csm import complaints
from tests.apptest_helpers import open_page, submit_form, texts
from tests.conftest import actor


def fill_intake(at, db, description="5号楼电梯困人，业主被困20分钟，要求给个说法！", phone="13812345678",
                gen=0, name="赵先生"):
    at.selectbox(key=f"intake.cat1.{gen}").select(db.one("complaints/category_by_code", {"code": "PUB"})["id"])
    at.run()
    at.selectbox(key=f"intake.cat2.{gen}").select(db.one("complaints/category_by_code", {"code": "PUB-GEN"})["id"])
    at.text_input(key=f"intake.unit_text.{gen}").input("5-0501")
    at.text_input(key=f"intake.name.{gen}").input(name)
    at.text_input(key=f"intake.phone.{gen}").input(phone)
    at.text_area(key=f"intake.description.{gen}").input(description)
    at.radio(key=f"intake.urgency.{gen}").set_value("urgent")
    return at


def save(at, gen=0):
    return submit_form(at, f"intake.form.{gen}")


def test_clerk_files_a_complaint_with_due_times(db_path, db):
    from tests.conftest import calendar_time

    calendar_time(db)  # the limits in calendar time, not the branch's working days (migration 013)
    at = open_page("clerk1", "intake")
    assert not at.exception
    fill_intake(at, db)
    save(at)
    assert not at.exception
    row = db.one("complaints/id_by_code", {"code": db.value("complaints/latest_code"), "scope_kind": "group",
                                          "scope_id": -1})
    c = db.one("complaints/row", {"id": row["id"]})
    assert c["complainant_name"] == "赵先生" and c["urgency"] == "urgent" and c["received_by"] == "clerk1"
    assert c["resolve_due_at"] - c["received_at"] == timedelta(days=2)
    assert c["first_response_due_at"] - c["received_at"] == timedelta(hours=24)
    assert f"已登记投诉 {c['code']}" in texts(at)
    # a fresh empty form for the next call
    assert at.text_input(key="intake.name.1").value == ""


def test_bad_intake_is_refused_and_keeps_what_was_typed(db_path, db):
    at = open_page("clerk1", "intake")
    before = db.value("complaints/latest_code")
    fill_intake(at, db, phone="12345")
    save(at)
    assert "电话号码「12345」无效" in texts(at)
    assert at.text_input(key="intake.name.0").value == "赵先生"
    assert at.text_area(key="intake.description.0").value.startswith("5号楼电梯困人")
    assert db.value("complaints/latest_code") == before


def test_duplicate_warning_needs_confirmation(db_path, db):
    at = open_page("clerk1", "intake")
    fill_intake(at, db)
    save(at)
    first = db.value("complaints/latest_code")
    fill_intake(at, db, gen=1, name="赵太太", description="同一问题再次投诉")
    save(at, gen=1)
    assert "30 天内已有 1 宗未结投诉" in texts(at)
    assert db.value("complaints/latest_code") == first  # not saved yet
    assert at.text_input(key="intake.name.1").value == "赵太太"  # and nothing typed is lost
    save(at, gen=1)
    assert "请先确认重复提示后再保存。" in texts(at)
    assert db.value("complaints/latest_code") == first
    at.checkbox(key="intake.dup_ok.1").check()
    at.radio(key="intake.link.1").set_value(db.one("complaints/id_by_code", {"code": first, "scope_kind": "group",
                                                                           "scope_id": -1})["id"])
    save(at, gen=1)
    second = db.value("complaints/latest_code")
    assert second != first
    linked = db.one("complaints/row", {"id": db.one("complaints/id_by_code", {"code": second, "scope_kind": "group",
                                                                           "scope_id": -1})["id"]})
    assert linked["linked_to_id"] is not None


def desk(username, db, cid):
    at = open_page(username, "complaints")
    at.session_state["complaints.open_id"] = cid
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at, action):
    return submit_form(at, f"complaints.form.{action}")


def test_supervisor_works_a_complaint_to_closed(db_path, db):
    clerk = open_page("clerk1", "intake")
    fill_intake(clerk, db)
    save(clerk)
    cid = db.one("complaints/id_by_code", {"code": db.value("complaints/latest_code"), "scope_kind": "group",
                                          "scope_id": -1})["id"]
    sup = actor(db, "supervisor1")

    at = desk("supervisor1", db, cid)
    assert "已受理" in texts(at)
    # refusal first: the judgement needs its basis
    at.selectbox(key=f"complaints.judge.grade.{cid}").select("important")
    submit(at, "judge")
    assert "界定依据: 必填" in texts(at)
    at.text_area(key=f"complaints.judge.basis.{cid}").input("电梯维保不到位，属物业责任")
    submit(at, "judge")
    c = db.one("complaints/row", {"id": cid})
    assert c["status"] == "judged" and c["grade"] == "important" and c["owner_level"] == "branch_manager"

    at = desk("supervisor1", db, cid)
    at.selectbox(key=f"complaints.dispatch.assignee.{cid}").select(sup.user_id)
    submit(at, "dispatch")
    assert db.one("complaints/row", {"id": cid})["status"] == "dispatched"

    at = desk("supervisor1", db, cid)
    at.text_input(key=f"complaints.handle.handled_by.{cid}").input("工程部 李师傅")
    at.text_area(key=f"complaints.handle.content.{cid}").input("联系电梯维保单位到场检修，更换门机板")
    submit(at, "handle")
    assert db.one("complaints/row", {"id": cid})["status"] == "in_progress"

    at = desk("supervisor1", db, cid)
    at.text_area(key=f"complaints.resolve.result.{cid}").input("电梯已修复，运行正常")
    submit(at, "resolve")
    assert db.one("complaints/row", {"id": cid})["status"] == "resolved"

    at = desk("supervisor1", db, cid)
    submit(at, "close")  # not confirmed: refused
    assert "只有业主对处理结果满意后才能关闭投诉。" in texts(at)
    at.checkbox(key=f"complaints.close.satisfied.{cid}").check()
    submit(at, "close")
    assert db.one("complaints/row", {"id": cid})["status"] == "closed"
    at = desk("supervisor1", db, cid)
    assert "已关闭" in texts(at)
    timeline = at.dataframe[-1].value.to_string()
    assert "工程部 李师傅" in timeline  # the timeline shows the handling
    assert "状态: 已受理 → 已界定" in timeline and "nan" not in timeline


def test_clerk_of_other_project_cannot_open_the_complaint(db_path, db):
    clerk = open_page("clerk1", "intake")
    fill_intake(clerk, db)
    save(clerk)
    code = db.value("complaints/latest_code")
    at = open_page("clerk2", "complaints")
    at.text_input(key="complaints.open_code").input(code)
    at.run()
    assert "投诉不存在或不在您的范围内。" in texts(at)
    assert code not in texts(at).replace("complaints.open_code", "")


def test_inbox_shows_assigned_complaint(db_path, db):
    clerk = open_page("clerk1", "intake")
    fill_intake(clerk, db)
    save(clerk)
    code = db.value("complaints/latest_code")
    cid = db.one("complaints/id_by_code", {"code": code, "scope_kind": "group", "scope_id": -1})["id"]
    sup = actor(db, "supervisor1")
    c = complaints.judge(db, sup, cid, 1, "valid", "电梯维保不到位", "general", "urgent")
    complaints.dispatch(db, sup, cid, c["version"], c["department_id"], sup.user_id)
    at = open_page("supervisor1", "home")
    assert not at.exception
    assert "我的待办" in texts(at)
    assert f"**派给我的**  \n{code}" in texts(at)  # the assigned complaint, under its kind
