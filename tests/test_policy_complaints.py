"""Role matrix of the complaint commands and reads (see tests/policy_matrix.py): each is called
with every role and with an actor of the same role scoped to P003 / B02."""

from datetime import UTC, datetime, timedelta

from csm.complaints import Intake, commands, reads
from tests.policy_matrix import Case, actor_for, matrix_test

PATH = {  # how a fresh P001 complaint reaches a status (as supervisor1), from "received"
    "received": (), "judged": ("judge",), "dispatched": ("judge", "dispatch"),
    "in_progress": ("judge", "dispatch", "handle"), "suspended": ("judge", "suspend"),
    "resolved": ("judge", "dispatch", "handle", "resolve"),
}


def _p001(db) -> int:
    return db.one("org/project_by_code", {"code": "P001"})["id"]


def _intake(db, project_id: int, **kw) -> Intake:
    return Intake(project_id=project_id, complainant_name="王建国", complainant_phone="13912345678",
                  channel_id=db.value("complaints/channel_by_code", {"code": "PHONE"}),
                  category_id=db.value("complaints/category_by_code", {"code": "ENG-WATER"}),
                  description="地下室水管漏水", received_at=datetime.now(UTC) - timedelta(minutes=5),
                  unit_text="9-0901", **kw)


def _at(db, state: str = "received") -> tuple[int, int]:
    """(id, version) of a new P001 complaint in `state`."""
    clerk, sup = actor_for(db, "clerk"), actor_for(db, "supervisor")
    c = commands.file_complaint(db, clerk, _intake(db, _p001(db)))
    cid, version = c["id"], 1
    for step in PATH[state]:
        if step == "judge":
            c = commands.judge(db, sup, cid, version, "valid", "依据", "general", "normal")
        elif step == "dispatch":
            c = commands.dispatch(db, sup, cid, version, db.value("revisits/department_by_code_or_name", {"text": "CLN"}))
        elif step == "handle":
            c = commands.add_handling(db, sup, cid, version, "工程部 李师傅", "更换水管")
        elif step == "suspend":
            c = commands.suspend(db, sup, cid, version, "等待业主在家")
        elif step == "resolve":
            c = commands.resolve(db, sup, cid, version, "已修复")
        version = c["version"]
    return cid, version


def _own_project(db, a) -> int:
    return int(db.df("org/projects_in_scope", a.params())["id"].min())


def _p001_name(db) -> str:
    return db.one("org/project_by_code", {"code": "P001"})["name"]


def _no_p001_projects(db, choices):
    assert not choices["projects"].empty and _p001(db) not in set(choices["projects"]["id"])


def _no_p001_rows(db, frame):
    assert _p001_name(db) not in set(frame["project"]) if not frame.empty else True


def _not_found(db, found):
    assert found is None  # a P001 code is not found from P003


CASES = [
    # ---- commands
    Case("complaints.file_complaint", lambda db, a: commands.file_complaint(db, a, _intake(db, _own_project(db, a))),
         record=False),
    Case("complaints.judge", lambda db, a: commands.judge(db, a, *_at(db), "valid", "依据", "important", "normal")),
    Case("complaints.dispatch", lambda db, a: commands.dispatch(
        db, a, *_at(db, "judged"), db.value("revisits/department_by_code_or_name", {"text": "CLN"}))),
    Case("complaints.add_handling", lambda db, a: commands.add_handling(db, a, *_at(db, "dispatched"), "李师傅", "检修")),
    Case("complaints.add_progress", lambda db, a: commands.add_progress(db, a, *_at(db), "phone", "已联系业主")),
    Case("complaints.suspend", lambda db, a: commands.suspend(db, a, *_at(db, "judged"), "等待配件")),
    Case("complaints.resume", lambda db, a: commands.resume(db, a, *_at(db, "suspended"))),
    Case("complaints.resolve", lambda db, a: commands.resolve(db, a, *_at(db, "in_progress"), "已修复")),
    Case("complaints.close", lambda db, a: commands.close(db, a, *_at(db, "resolved"), confirmed_by="王建国",
                                                          satisfied=True)),
    Case("complaints.reopen", lambda db, a: commands.reopen(db, a, *_at(db, "resolved"), "仍在漏水")),
    Case("complaints.escalate_overdue", lambda db, a: commands.escalate_overdue(db, a), record=False),
    Case("complaints.mark_read", lambda db, a: commands.mark_read(db, a, 0), record=False),
    # ---- reads: the desk
    Case("complaints.desk_choices", lambda db, a: reads.desk_choices(db, a), record=False,
         check_outside=_no_p001_projects),
    Case("complaints.worklist", lambda db, a: reads.worklist(db, a)[0], record=False, check_outside=_no_p001_rows),
    Case("complaints.worklist", lambda db, a: reads.worklist(db, a, reads.Filters(project_id=_p001(db))),
         id="complaints.worklist.P001"),
    Case("complaints.worklist_export", lambda db, a: reads.worklist_export(db, a), record=False,
         check_outside=_no_p001_rows),
    Case("complaints.status_counts", lambda db, a: reads.status_counts(db, a), record=False),
    Case("complaints.find_by_code", lambda db, a: reads.find_by_code(db, a, db.value("complaints/code", {
        "id": _at(db)[0]})), record=False, check_outside=_not_found),
    Case("complaints.complaint", lambda db, a: reads.complaint(db, a, _at(db)[0])),
    Case("complaints.attachments", lambda db, a: reads.attachments(db, a, _at(db)[0])),
    Case("complaints.timeline", lambda db, a: reads.timeline(db, a, _at(db)[0])),
    # ---- reads: intake
    Case("complaints.intake_choices", lambda db, a: reads.intake_choices(db, a), record=False,
         check_outside=_no_p001_projects),
    Case("complaints.units_of_project", lambda db, a: reads.units_of_project(db, a, _p001(db))),
    Case("complaints.duplicates", lambda db, a: reads.duplicates(db, a, _intake(db, _p001(db)))),
    Case("complaints.recent", lambda db, a: reads.recent(db, a), record=False, check_outside=_no_p001_rows),
    # ---- reads: home
    Case("complaints.inbox", lambda db, a: reads.inbox_page(db, a), record=False),
    Case("complaints.inbox", lambda db, a: reads.inbox_count(db, a), record=False, id="complaints.inbox_count"),
    Case("complaints.home_counts", lambda db, a: reads.home_counts(db, a), record=False),
]

test_role_matrix = matrix_test(CASES)
