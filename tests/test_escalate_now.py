"""Escalation runs from app.py, not from the desk's render: at most once per few minutes per
process (csm.web.ui.escalate_now), one session at a time, and only for a role that may."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm.org import users
from csm.web import ui
from tests.conftest import actor
from tests.test_policy_complaints import _intake, _p001

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def holder(monkeypatch):
    fresh = {"at": None, "lock": threading.Lock()}
    monkeypatch.setattr(ui, "_escalation_clock", lambda: fresh)
    return fresh


def late_complaint(db) -> int:
    from csm.complaints import commands

    return commands.file_complaint(db, actor(db, "clerk1"), _late_intake(db))["id"]


def _late_intake(db):
    c = _intake(db, _p001(db))
    c.received_at = datetime.now(UTC) - timedelta(days=10)
    return c


def level(db, cid) -> str:
    return db.one("complaints/row", {"id": cid})["escalation_level"]


def test_runs_once_then_waits_the_interval(db_path, db, holder):
    sup = users.get(db, "supervisor1")
    first = late_complaint(db)
    assert ui.escalate_now(sup, every=300, clock=lambda: 1000.0) >= 1
    assert level(db, first) == "branch_manager"
    second = late_complaint(db)
    assert ui.escalate_now(sup, every=300, clock=lambda: 1299.0) is None  # too soon: not run
    assert level(db, second) == "project"
    assert ui.escalate_now(sup, every=300, clock=lambda: 1300.0) >= 1  # the interval is over
    assert level(db, second) == "branch_manager"


def test_skipped_while_another_session_runs_it(db_path, db, holder):
    late_complaint(db)
    holder["lock"].acquire()
    try:
        assert ui.escalate_now(users.get(db, "supervisor1"), clock=lambda: 1.0) is None
    finally:
        holder["lock"].release()
    assert holder["at"] is None  # nothing ran, the next run is not delayed


def test_not_for_a_role_that_may_not(db_path, db, holder):
    cid = late_complaint(db)
    assert ui.escalate_now(users.get(db, "admin"), clock=lambda: 1.0) is None
    assert level(db, cid) == "project" and holder["at"] is None


def test_the_desk_page_no_longer_escalates_and_app_py_does():
    desk = (ROOT / "pages" / "complaints.py").read_text(encoding="utf-8")
    assert "escalate_overdue" not in desk and "escalate_now" not in desk.split('"""', 2)[2]
    assert "ui.escalate_now(user)" in (ROOT / "app.py").read_text(encoding="utf-8")
