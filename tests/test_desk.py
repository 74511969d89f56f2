"""The complaint desk as a supervisor and head office see it: each complaint's forms hold that
complaint's values only; names, not raw values (usernames, None, nan, codes) on screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csm import complaints
from csm.complaints import Intake
from tests.apptest_helpers import open_page, submit_form, texts
from tests.conftest import actor


def filed(db, name: str, dispatched: bool = True) -> int:
    clerk, sup = actor(db, "clerk1"), actor(db, "supervisor1")
    c = complaints.file_complaint(db, clerk, Intake(
        project_id=clerk.scope.id, complainant_name=name, complainant_phone="13912345678",
        channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
        category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
        description=f"{name}：地下室水管漏水", received_at=datetime.now(UTC) - timedelta(minutes=5),
        unit_text="9-0901"))
    if dispatched:
        c = complaints.judge(db, sup, c["id"], 1, "valid", "依据", "general", "normal")
        complaints.dispatch(db, sup, c["id"], c["version"], db.value("revisits/department_by_code_or_name", {"text": "CLN"}),
                            sup.user_id)
    return c["id"]


def desk(username: str, cid: int, at=None):
    at = at or open_page(username, "complaints")
    at.session_state["complaints.open_id"] = cid
    at.run()
    assert not at.exception, at.exception
    return at


def handling(db, cid) -> list[tuple[str, str]]:
    return [tuple(r) for r in db._conn.execute(
        "SELECT handled_by, content FROM complaint_handling WHERE complaint_id = ? ORDER BY id", [cid]).fetchall()]


def test_forms_show_and_save_the_values_of_the_open_complaint(db_path, db):
    a, b = filed(db, "甲先生"), filed(db, "乙女士")
    at = desk("supervisor1", a)
    at.text_input(key=f"complaints.handle.handled_by.{a}").input("工程部 李师傅")
    at.text_area(key=f"complaints.handle.content.{a}").input("甲的处理：更换水管")
    at.run()
    at = desk("supervisor1", b, at)  # pick another complaint in the same session
    assert at.text_input(key=f"complaints.handle.handled_by.{b}").value == ""
    assert at.text_area(key=f"complaints.handle.content.{b}").value == ""
    assert not [w for w in at.text_input if w.key and w.key.endswith(f".{a}")]  # A's form is not on B's screen
    at.text_input(key=f"complaints.handle.handled_by.{b}").input("保洁部 王阿姨")
    at.text_area(key=f"complaints.handle.content.{b}").input("乙的处理：清理积水")
    submit_form(at, "complaints.form.handle")
    assert not at.exception
    assert handling(db, b) == [("保洁部 王阿姨", "乙的处理：清理积水")]
    assert handling(db, a) == []  # nothing typed on A was saved, on A or on B
    # back on A: what was typed there is still A's, not B's
    at = desk("supervisor1", a, at)
    assert at.text_input(key=f"complaints.handle.handled_by.{a}").value in ("", "工程部 李师傅")
    assert at.text_area(key=f"complaints.handle.content.{a}").value != "乙的处理：清理积水"


def test_judgement_form_is_the_open_complaints(db_path, db):
    a, b = filed(db, "丙先生", dispatched=False), filed(db, "丁女士", dispatched=False)
    at = desk("supervisor1", a)
    at.selectbox(key=f"complaints.judge.grade.{a}").select("major")
    at.text_area(key=f"complaints.judge.basis.{a}").input("丙：多户受影响")
    at.run()
    at = desk("supervisor1", b, at)
    assert at.selectbox(key=f"complaints.judge.grade.{b}").value == "general"
    assert at.text_area(key=f"complaints.judge.basis.{b}").value == ""
    at.text_area(key=f"complaints.judge.basis.{b}").input("丁：个别住户")
    submit_form(at, "complaints.form.judge")
    row_b, row_a = db.one("complaints/row", {"id": b}), db.one("complaints/row", {"id": a})
    assert row_b["status"] == "judged" and row_b["grade"] == "general" and row_b["validity_basis"] == "丁：个别住户"
    assert row_a["status"] == "received" and row_a["grade"] is None
    assert "丙" not in texts(at)



def test_desk_shows_names_not_raw_values(db_path, db):
    cid = filed(db, "戊先生")  # filed by clerk1, judged and dispatched by supervisor1
    for username in ("supervisor1", "hq"):
        at = desk(username, cid)
        worklist = at.dataframe[0].value.astype(str).to_string()
        timeline = at.dataframe[-1].value.astype(str).to_string()
        assert "None" not in worklist and "nan" not in worklist
        assert "None" not in timeline and "nan" not in timeline
        assert "客服助理 张伟" in timeline and "客服主任 陈静" in timeline  # who, by display name
        assert "clerk1" not in timeline and "supervisor1" not in timeline
        assert "客服助理 张伟" in texts(at) and "clerk1" not in texts(at)  # taken by, in the detail


def test_escalation_line_names_the_missed_due_time(db_path, db):
    old = datetime.now(UTC) - timedelta(days=10)
    clerk = actor(db, "clerk1")
    c = complaints.file_complaint(db, clerk, Intake(
        project_id=clerk.scope.id, complainant_name="己先生", complainant_phone="13912345678",
        channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
        category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"], description="漏水",
        received_at=old, unit_text="9-0902"))
    complaints.escalate_all(db)
    at = desk("supervisor1", c["id"])
    timeline = at.dataframe[-1].value.astype(str).to_string()
    assert "处理超时" in timeline and "resolve" not in timeline


def test_filters_and_selects_have_chinese_placeholders(db_path, db):
    at = desk("supervisor1", filed(db, "庚女士", dispatched=False))
    for box in at.selectbox:
        if box.value is None:
            assert box.proto.placeholder and "Choose" not in box.proto.placeholder, box.key
    assert at.selectbox(key="complaints.f_status").proto.placeholder == "全部"


def test_status_tiles_say_finished_late_for_finished_complaints_and_the_list_says_its_rows(db_path, db):
    """A closed complaint that missed its limit is not "overdue" any more: its tile says 超时办结;
    an open one's tile says 超时. Under the list: which rows are shown."""
    at = open_page("supervisor1", "complaints")
    assert not at.exception, at.exception
    tiles = {m.label: m.delta for m in at.metric}
    from csm.complaints import reads

    late_closed = reads.status_counts(db, actor(db, "supervisor1"), reads.Filters())["closed"][1]
    assert late_closed > 0  # the demo has closed complaints that were finished late
    assert tiles["已关闭"] == f"{late_closed} 超时办结"
    open_late = [d for label, d in tiles.items() if label in ("已受理", "已派工", "处理中") and d]
    assert open_late and all(d.endswith(" 超时") for d in open_late)
    shown = texts(at)
    total = sum(n for n, _ in reads.status_counts(db, actor(db, "supervisor1"), reads.Filters()).values())
    assert total <= reads.PAGE and f"第 1–{total} 条" in shown.splitlines(), shown
