"""The home page's inbox: what each role must act on, one count (menu = page = rows), 30 a page,
and each item opens the page where it is worked on. Tiny demo: its activity ends on 1 Sep 2026,
so its open complaints and revisit tasks are overdue by the time the tests run."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from csm import complaints, revisits
from csm.org import users
from csm.web import ui
from tests.apptest_helpers import open_page, texts
from tests.conftest import actor, project_id


def open_buttons(at) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("home.open.")]


def page_count(at) -> int:
    m = re.search(r"待办 ([\d,]+) 项", texts(at))
    assert m, texts(at)
    return int(m.group(1).replace(",", ""))


def overdue_revisits(db, pid) -> list[int]:
    return [int(r[0]) for r in db._conn.execute(
        "SELECT id FROM revisit_tasks WHERE status = 'open' AND assignee_id IS NULL AND project_id = ? "
        "AND due_at < now()", [pid]).fetchall()]


def test_clerk_sees_overdue_revisits_of_the_project(db_path, db):
    tasks = overdue_revisits(db, project_id(db, "P001"))
    assert tasks  # the demo leaves unassigned revisits overdue
    at = open_page("clerk1", "home")
    assert not at.exception
    shown = texts(at)
    assert "没有待办事项" not in shown
    assert "回访已超时" in shown
    for task in tasks[:complaints.INBOX_PAGE]:
        assert f"home.open.revisit.{task}." in open_buttons(at)
    other = overdue_revisits(db, project_id(db, "P003"))  # clerk2's project
    assert other and not any(f"home.open.revisit.{task}." in open_buttons(at) for task in other)


def test_opening_a_revisit_picks_it_on_the_revisits_page(db_path, db):
    task = overdue_revisits(db, project_id(db, "P001"))[-1]
    at = open_page("clerk1", "home")
    at.button(key=f"home.open.revisit.{task}.").click()
    at.run()
    assert not at.exception
    assert at.selectbox(key="revisits.task").value == task
    assert at.session_state["revisits.bucket"] == "overdue"  # the queue shows the overdue ones


def test_project_manager_sees_overdue_complaints_in_scope_only(db_path, db):
    mine = project_id(db, "P001")
    now = datetime.now(UTC)
    overdue = {int(r[0]): int(r[1]) for r in db._conn.execute(
        "SELECT id, project_id FROM complaints WHERE complaint_escalatable(status) "
        "AND complaint_overdue(status, first_response_due_at, first_response_at, resolve_due_at, resolved_at, "
        "closed_at, ?)", [now]).fetchall()}
    in_p001 = {c for c, p in overdue.items() if p == mine}
    elsewhere = {c for c, p in overdue.items() if p != mine}
    assert in_p001 and elsewhere
    mgr = actor(db, "manager_p1")
    rows, total = complaints.reads.inbox_page(db, mgr, 0, 10_000)
    listed = set(rows[rows["source"] == "complaint"]["complaint_id"].astype(int))
    assert in_p001 <= listed and not (listed & elsewhere)

    at = open_page("manager_p1", "home")
    assert not at.exception
    assert "没有待办事项" not in texts(at) and "超时投诉" in texts(at)
    code = db.one("complaints/row", {"id": min(in_p001)})["code"]
    other_code = db.one("complaints/row", {"id": min(elsewhere)})["code"]
    assert code in texts(at) and other_code not in texts(at)
    # opening it lands on the desk with that complaint open
    at.button(key=f"home.open.complaint.{min(in_p001)}.").click()
    at.run()
    assert not at.exception
    assert at.session_state["complaints.open_id"] == min(in_p001)
    assert any(code in s.value for s in at.subheader)


def test_count_on_the_page_equals_the_menu_and_the_rows_across_pages(db_path, db):
    pid = project_id(db, "P001")
    since = datetime.now(UTC) - timedelta(days=90)
    db.transaction(lambda tx: [revisits.create_task(tx, "test", "move_in", pid, since, unit_text=f"9-{i:04d}")
                               for i in range(40)])
    clerk = users.get(db, "clerk1")
    menu = ui.inbox_count(clerk)  # what the menu shows beside 首页
    assert menu > complaints.INBOX_PAGE

    at = open_page("clerk1", "home")
    assert page_count(at) == menu
    seen = open_buttons(at)
    assert len(seen) == complaints.INBOX_PAGE
    pages = at.selectbox(key="home.inbox_page")
    assert pages.options[-1] == "第 2 页 / 共 2 页"
    pages.select(1)
    at.run()
    assert not at.exception
    assert page_count(at) == menu
    second = open_buttons(at)
    assert second and not set(second) & set(seen)
    assert len(seen) + len(second) == menu


def test_overdue_corrective_action_opens_on_the_actions_page(db_path, db):
    sup = actor(db, "supervisor1")
    rows, _ = complaints.reads.inbox_page(db, sup, 0, 10_000)
    actions = rows[rows["source"] == "action"]["ref_id"].astype(int).tolist()
    assert actions  # the demo leaves one of P001's corrective actions past its deadline
    at = open_page("supervisor1", "home")
    assert "整改已逾期" in texts(at)
    at.button(key=f"home.open.action.{actions[0]}.").click()
    at.run()
    assert not at.exception
    assert at.selectbox(key="survey_actions.pick").value == actions[0]
    p001 = db.one("org/project_by_code", {"code": "P001"})["name"]
    assert set(rows[rows["source"] == "action"]["project"]) == {p001}  # the supervisor's scope only
