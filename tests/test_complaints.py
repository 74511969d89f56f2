"""Complaints: intake validation, codes, due times, the status machine, pauses, escalation, inbox, scope."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csm import complaints, revisits, status
from csm.complaints import Attachment, Intake
from csm.errors import ConflictError, PermissionDenied, UserError, ValidationFailed
from csm.revisits import Attempt
from tests.conftest import actor, calendar_time, project_id
from tests.test_revisits import who

SH = ZoneInfo("Asia/Shanghai")


def user(db, username):
    return actor(db, username)


def intake(db, pid, **kw) -> Intake:
    base = dict(project_id=pid, complainant_name="王建国", complainant_phone="13912345678",
                channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
                category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
                description="3号楼2单元地下室水管漏水，已经三天没人处理！\n请尽快维修。",
                received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text="9-0901")
    base.update(kw)
    return Intake(**base)


def filed(db, username="clerk1", **kw):
    clerk = user(db, username)
    pid = kw.pop("pid", None) or clerk.scope.id
    return complaints.file_complaint(db, clerk, intake(db, pid, **kw))


def row(db, cid):
    return db.one("complaints/row", {"id": cid})


def test_filing_gives_code_due_times_and_keeps_text_verbatim(db):
    calendar_time(db)  # the limits in calendar time, not the branch's working days
    received = datetime(2026, 11, 20, 17, 0, tzinfo=SH)
    long_text = "  业主原话：" + "楼上漏水" * 2000 + "  "
    out = filed(db, received_at=received, urgency="urgent", description=long_text)
    assert out["code"].startswith("TS-2026-") and len(out["code"]) == len("TS-2026-000123")
    c = row(db, out["id"])
    assert c["description"] == long_text
    assert c["status"] == "received" and c["received_by"] == "clerk1"
    assert c["forward_due_at"] == received + timedelta(minutes=10)
    assert c["first_response_due_at"] == received + timedelta(hours=24)
    assert c["resolve_due_at"] == datetime(2026, 11, 22, 17, 0, tzinfo=SH)  # urgent: 2 days
    assert c["department_id"] == db.one("revisits/department_by_code_or_name", {"text": "ENG"})["id"]  # category default


def test_codes_are_sequential_per_year(db):
    a = filed(db, received_at=datetime(2026, 3, 1, 9, tzinfo=SH))["code"]
    b = filed(db, received_at=datetime(2026, 3, 2, 9, tzinfo=SH))["code"]
    c = filed(db, received_at=datetime(2025, 12, 31, 23, 59, tzinfo=SH))["code"]
    assert int(b[-6:]) == int(a[-6:]) + 1
    assert c.startswith("TS-2025-")


def test_codes_unique_under_concurrency(db):
    clerk = user(db, "clerk1")
    codes, errors = [], []

    def worker():
        try:
            for _ in range(5):
                codes.append(complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))["code"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(codes) == 20 and len(set(codes)) == 20


def test_intake_refusals_name_each_field(db):
    clerk = user(db, "clerk1")
    other = project_id(db, "P003")
    bad = Intake(project_id=other, complainant_name=" ", channel_id=None, category_id=None,
                 description="  ", complainant_phone="12345",
                 received_at=datetime.now(UTC) + timedelta(hours=2))
    with pytest.raises(ValidationFailed) as err:
        complaints.file_complaint(db, clerk, bad)
    assert err.value.messages() == [
        "项目: 必填", "投诉人: 必填", "电话: 电话号码「12345」无效：请填写11位手机号或带区号的座机（如 010-8888 6666）。",
        "投诉途径: 必填", "投诉类别: 请选择二级分类。", "内容: 必填", "受理时间: 时间不能晚于现在。"]
    # a first-level category alone is refused too
    with pytest.raises(ValidationFailed) as err:
        filed(db, category_id=db.one("complaints/category_by_code", {"code": "ENG"})["id"])
    assert "投诉类别: 请选择二级分类。" in err.value.messages()


def test_landline_and_empty_phone_accepted(db):
    assert filed(db, complainant_phone="021-62345678")["id"]
    assert filed(db, complainant_phone="")["id"]


def test_attachment_type_and_size_limits(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(tmp_path))
    clerk = user(db, "clerk1")
    with pytest.raises(UserError) as err:
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id), [Attachment("x.exe", b"MZ")])
    assert "x.exe" in err.value.message()
    big = Attachment("a.jpg", b"0" * (complaints.ATTACH_MAX_BYTES + 1))
    with pytest.raises(UserError):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id), [big])
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    out = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id), [Attachment("漏水.jpg", jpeg)])
    files = db.rows("complaints/attachments", {"complaint_id": out["id"], **clerk.scope.params()})
    assert files[0]["file_name"] == "漏水.jpg"
    assert (tmp_path / files[0]["stored_path"]).read_bytes() == jpeg


def test_duplicate_warning_finds_open_complaint_of_same_unit_and_category(db):
    first = filed(db, unit_text="5-0502")
    clerk = user(db, "clerk1")
    dup = complaints.reads.duplicates(db, clerk, intake(db, clerk.scope.id, unit_text="5-0502"))
    assert dup["code"].tolist() == [first["code"]]
    other_cat = intake(db, clerk.scope.id, unit_text="5-0502",
                       category_id=db.one("complaints/category_by_code", {"code": "SVC-FEE"})["id"])
    assert complaints.reads.duplicates(db, clerk, other_cat).empty
    linked = filed(db, unit_text="5-0502", linked_to_id=first["id"])
    assert row(db, linked["id"])["linked_to_id"] == first["id"]


def journey_to_resolved(db, sup, cid):
    c = complaints.judge(db, sup, cid, row(db, cid)["version"], "valid", "漏水属物业维修责任", "general", "normal")
    dept = row(db, cid)["department_id"]
    c = complaints.dispatch(db, sup, cid, c["version"], dept, sup.user_id)
    c = complaints.add_handling(db, sup, cid, c["version"], "工程部 李师傅", "更换水管接头")
    c = complaints.add_progress(db, sup, cid, c["version"], "phone", "已告知业主维修进度")
    return complaints.resolve(db, sup, cid, c["version"], "已更换接头，试水无渗漏")


def test_full_journey_and_history(db):
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    c = journey_to_resolved(db, sup, cid)
    assert c["status"] == "resolved"
    task = db.one("revisits/open_for_complaint", {"complaint_id": cid})
    assert task is not None
    c = complaints.close(db, sup, cid, c["version"], confirmed_by="王建国", satisfied=True)
    assert row(db, cid)["status"] == "closed"
    timeline = db.df("complaints/timeline", {"complaint_id": cid, **sup.scope.params()})
    statuses = timeline[(timeline["kind"] == "history") & (timeline["field"] == "status")]["to_value"].tolist()
    assert statuses == ["judged", "dispatched", "in_progress", "resolved", "closed"]
    assert set(timeline["kind"]) >= {"history", "handling", "progress"}


def test_resolving_creates_exactly_one_revisit_due_three_days_later(db):
    calendar_time(db)  # the limits in calendar time, not the branch's working days
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    c = journey_to_resolved(db, sup, cid)
    tasks = db.rows("complaints/revisit_tasks_of_complaint", {"complaint_id": cid})
    assert len(tasks) == 1 and tasks[0]["kind"] == "complaint"
    assert tasks[0]["due_at"] == c["resolved_at"] + timedelta(days=3)


def test_close_needs_confirmation_and_invalid_needs_explanation(db):
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    c = journey_to_resolved(db, sup, cid)
    with pytest.raises(ValidationFailed) as err:
        complaints.close(db, sup, cid, c["version"], confirmed_by="王建国", satisfied=False)
    assert err.value.messages() == ["业主对处理结果满意: 只有业主对处理结果满意后才能关闭投诉。"]
    cid2 = filed(db)["id"]
    c2 = complaints.judge(db, sup, cid2, 1, "invalid", "超出保修期，属业主自身责任", "general", "normal")
    with pytest.raises(ValidationFailed):
        complaints.close(db, sup, cid2, c2["version"])
    c2 = complaints.close(db, sup, cid2, c2["version"], explanation="已向业主解释保修条款并提供有偿维修")
    assert row(db, cid2)["status"] == "closed"
    cid3 = filed(db)["id"]
    c3 = complaints.judge(db, sup, cid3, 1, "valid", "依据", "general", "normal")
    with pytest.raises(UserError) as err:
        complaints.close(db, sup, cid3, c3["version"], confirmed_by="x", satisfied=True)
    assert err.value.message() == "投诉尚未处理完毕，不能关闭（仅无效投诉可在解释后直接关闭）。"


def test_refused_action_and_stale_version(db):
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    with pytest.raises(UserError) as err:
        complaints.resolve(db, sup, cid, 1, "结果")
    assert err.value.key == "complaint.error.not_allowed"
    complaints.judge(db, sup, cid, 1, "valid", "依据", "general", "normal")
    with pytest.raises(ConflictError):  # the second user still holds version 1
        complaints.judge(db, sup, cid, 1, "valid", "依据", "important", "normal")
    assert row(db, cid)["grade"] == "general"


def test_clerk_cannot_judge_and_other_project_is_refused(db):
    cid = filed(db)["id"]
    with pytest.raises(UserError) as err:
        complaints.judge(db, user(db, "clerk1"), cid, 1, "valid", "依据", "general", "normal")
    assert err.value.key == "error.permission_denied"
    # a complaint outside the actor's scope is refused (issue 9: PermissionDenied, not "not found")
    with pytest.raises(PermissionDenied):
        complaints.add_progress(db, user(db, "clerk2"), cid, 1, "phone", "x")
    with pytest.raises(UserError) as err:  # no such complaint at all
        complaints.add_progress(db, user(db, "clerk1"), 10**9, 1, "phone", "x")
    assert err.value.key == "complaint.error.not_found"


def test_major_goes_to_general_manager_inbox_and_government_to_quality(db):
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    complaints.judge(db, sup, cid, 1, "valid", "多户受影响", "major", "urgent")
    assert row(db, cid)["owner_level"] == "general_manager"
    hq = user(db, "hq")
    items = complaints.reads.inbox_page(db, hq, 0, 10_000)[0]
    assert ("major", cid) in set(zip(items["kind"], items["complaint_id"], strict=True))
    gov = filed(db, channel_id=db.one("complaints/channel_by_code", {"code": "GOV"})["id"])
    assert row(db, gov["id"])["owner_level"] == "quality_department"


def test_suspension_pauses_the_clock(db):
    sup = user(db, "supervisor1")
    t0 = datetime.now(UTC) - timedelta(days=3)
    cid = filed(db, received_at=t0)["id"]
    c = complaints.judge(db, sup, cid, 1, "valid", "依据", "general", "normal", now=t0 + timedelta(hours=1))
    due = c["resolve_due_at"]
    c = complaints.suspend(db, sup, cid, c["version"], "等待业主在家", now=t0 + timedelta(days=1))
    assert c["status"] == "suspended"
    with pytest.raises(UserError):
        complaints.add_handling(db, sup, cid, c["version"], "李师傅", "x", now=t0 + timedelta(days=1, hours=1))
    c = complaints.resume(db, sup, cid, c["version"], now=t0 + timedelta(days=2))
    assert c["status"] == "judged"
    assert c["resolve_due_at"] == due + timedelta(days=1)


def test_escalation_one_level_per_due_time_with_history_and_inbox(db):
    sup = user(db, "supervisor1")
    old = datetime.now(UTC) - timedelta(days=10)
    cid = filed(db, received_at=old)["id"]
    assert complaints.escalate_all(db) >= 1
    c = row(db, cid)
    assert c["escalation_level"] == "branch_manager"  # first response and resolve both late: one step
    assert complaints.escalate_all(db) == 0  # not again for the same due times
    mgr = user(db, "manager_b1")
    items = complaints.reads.inbox_page(db, mgr, 0, 10_000)[0]
    assert cid in items[items["kind"] == "escalated"]["complaint_id"].tolist()
    worklist = db.df("complaints/worklist", worklist_params(sup.scope, overdue_only=True))
    assert cid in worklist["id"].tolist()
    hist = db.df("complaints/timeline", {"complaint_id": cid, **sup.scope.params()})
    assert "escalate" in hist["action"].tolist()


def worklist_params(scope, **kw):
    p = {**scope.params(), "now": datetime.now(UTC), "status": None, "grade": None, "category_id": None,
         "department_id": None, "project_id": None, "overdue_only": False, "assignee_id": None,
         "date_from": None, "date_to": None, "text": None, "escalated_only": False, "limit": 500, "offset": 0}
    p.update(kw)
    return p


def test_worklist_scope_and_masking(db):
    mine = filed(db)["id"]
    theirs = filed(db, username="clerk2")["id"]
    sup = user(db, "supervisor1")
    ids = db.df("complaints/worklist", worklist_params(sup.scope))["id"].tolist()
    assert mine in ids and theirs not in ids
    mgr = user(db, "manager_b1")
    wl = db.df("complaints/worklist", worklist_params(mgr.scope, text="王建国"))
    assert mine in wl["id"].tolist() and theirs not in wl["id"].tolist()  # P003 is in branch B02
    assert wl.set_index("id").loc[mine, "phone"] == "139****5678"
    hq = user(db, "hq")
    assert theirs in db.df("complaints/worklist", worklist_params(hq.scope))["id"].tolist()
    assert db.one("complaints/get", {"id": theirs, "now": datetime.now(UTC), **sup.scope.params()}) is None


def test_unsatisfied_revisit_reopens_and_satisfied_marks_revisited(db):
    sup = user(db, "supervisor1")
    cid = filed(db)["id"]
    journey_to_resolved(db, sup, cid)
    task = db.one("revisits/task_get", {"id": db.value("revisits/open_for_complaint", {"complaint_id": cid})})
    out = revisits.commands.record_revisit(db, who(db, "clerk1"), task["id"], task["version"], Attempt(
        method="phone", reached=True, person_reached="王建国", satisfaction="unsatisfied",
        comments="还在漏水"))
    assert out["reopened_complaint_id"] == cid
    c = row(db, cid)
    assert c["status"] == "in_progress" and c["reopen_count"] == 1
    items = complaints.reads.inbox_page(db, sup, 0, 10_000)[0]
    assert ("reopened", cid) in set(zip(items["kind"], items["complaint_id"], strict=True))
    c = complaints.resolve(db, sup, cid, c["version"], "再次维修，更换整段水管")
    task = db.one("revisits/task_get", {"id": db.value("revisits/open_for_complaint", {"complaint_id": cid})})
    revisits.commands.record_revisit(db, who(db, "clerk1"), task["id"], task["version"], Attempt(
        method="phone", reached=True, person_reached="王建国", satisfaction="satisfied"))
    assert row(db, cid)["status"] == "revisited"


# ---- the status machine ------------------------------------------------------------------------
@pytest.mark.parametrize("state", status.STATUSES)
@pytest.mark.parametrize("action", status.ACTIONS)
def test_every_transition_allowed_or_refused(state, action):
    targets = status.TRANSITIONS[action]
    if state not in targets:
        with pytest.raises(UserError) as err:
            status.next_status(state, action, resume_status="judged")
        assert err.value.key == "complaint.error.not_allowed"
    elif action == "close" and state == "judged":
        with pytest.raises(UserError):
            status.next_status(state, action, validity="valid")
        assert status.next_status(state, action, validity="invalid") == "closed"
    else:
        new = status.next_status(state, action, validity="invalid", resume_status="dispatched")
        assert new in status.STATUSES


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(status.ACTIONS), st.sampled_from(("valid", "invalid"))), max_size=30))
def test_no_sequence_reaches_an_invalid_state(steps):
    state, resume = "received", None
    for action, validity in steps:
        try:
            new = status.next_status(state, action, validity=validity, resume_status=resume)
        except UserError:
            continue
        if new == state:
            continue
        if new == "suspended":
            assert state in status.WORKING
            resume = state
        elif state == "suspended":
            assert new == resume
            resume = None
        if new == "closed":
            assert state in ("resolved", "revisited") or (state == "judged" and validity == "invalid")
        if new == "resolved":
            assert state == "in_progress"
        assert new in status.STATUSES
        state = new


def test_inbox_count_in_the_menu_matches_the_inbox(db):
    calendar_time(db)  # the limits in calendar time, not the branch's working days
    sup, hq = user(db, "supervisor1"), user(db, "hq")
    cid = filed(db, received_at=datetime.now(UTC) - timedelta(days=6, hours=23, minutes=58))["id"]  # due in 2 min
    soon = filed(db, received_at=datetime.now(UTC) - timedelta(hours=23))["id"]  # first response due in 1 h
    complaints.dispatch(db, sup, cid, complaints.judge(db, sup, cid, 1, "valid", "依据", "general", "normal")["version"],
                        db.value("revisits/department_by_code_or_name", {"text": "CLN"}), sup.user_id)
    for u in (sup, hq):
        rows, total = complaints.reads.inbox_page(db, u, 0, 10_000)
        assert complaints.reads.inbox_count(db, u) == total == len(rows)
    sup_items, _ = complaints.reads.inbox_page(db, sup, 0, 10_000)
    mine = sup_items[(sup_items["source"] == "complaint") & (sup_items["complaint_id"] == cid)]
    assert mine["kind"].tolist() == ["assigned"]  # one row per complaint, under why it is mine
    assert sup_items[sup_items["complaint_id"] == soon]["kind"].tolist() == ["due_soon"]
    hq_items, _ = complaints.reads.inbox_page(db, hq, 0, 10_000)
    # the whole company's deadlines are not head office's inbox: only the quality department's complaints
    levels = {row(db, int(i))["owner_level"] for i in hq_items[hq_items["source"] == "complaint"]["complaint_id"]}
    assert levels <= {"quality_department"} and soon not in set(hq_items["complaint_id"])
