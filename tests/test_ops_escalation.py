"""Escalation runs inside the serving process on a timer (csm.ops.service), with nobody opening
the desk, and never overwrites nor blocks a user's action (issue 12)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from csm import complaints
from csm.errors import ConflictError
from csm.ops import control, service
from tests.conftest import actor
from tests.test_complaints import intake


def late(db) -> int:
    clerk = actor(db, "clerk1")
    return complaints.file_complaint(db, clerk, intake(db, clerk.scope.id,
                                                       received_at=datetime.now(UTC) - timedelta(days=10)))["id"]


def wait_until(check, seconds: float):
    """Polls `check` until it gives something true (bounded: the test fails after `seconds`)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


@pytest.mark.duckdb_only("the serving process's heartbeat file is the DuckDB file's control channel "
                         "(on PostgreSQL none: tests/test_pg_ops.py)")
def test_the_timer_escalates_with_nobody_on_any_page(db):
    cid = late(db)
    svc = service.Service(db, escalate_every=0.5).start()
    try:
        assert wait_until(lambda: db.one("complaints/row", {"id": cid})["escalation_level"] == "branch_manager", 60)
        beat = wait_until(lambda: (control.read_json(svc.spool / control.HEARTBEAT) or {}).get(
            "escalations", {}).get("runs"), 10)
        assert beat >= 1
    finally:
        svc.stop()
    rows = db._conn.execute("SELECT actor, action FROM complaint_history WHERE complaint_id = ? "
                            "AND action = 'escalate'", [cid]).fetchall()
    assert rows and all(who is None for who, _ in rows)  # the system, not a user


def test_a_supervisors_judgement_races_the_escalation_and_always_stands(db):
    """20 races, started together: the judgement is never refused (the escalation does not move
    the version) nor overwritten (the escalation writes only its own columns, and only if the
    complaint is still as it read it)."""
    sup = actor(db, "supervisor1")
    complaints.escalate_all(db)  # the demo's late complaints first: the races below see only their own
    outcomes = []
    for _ in range(20):
        cid = late(db)
        version = db.one("complaints/row", {"id": cid})["version"]  # the supervisor's form read it
        gate = threading.Barrier(2)
        result = {}

        def judge(cid=cid, version=version, result=result, gate=gate):
            gate.wait()
            try:
                result["judge"] = complaints.judge(db, sup, cid, version, "valid", "漏水属物业维修责任",
                                                   "important", "urgent")
            except ConflictError as exc:
                result["judge"] = exc

        def escalate(result=result, gate=gate):
            gate.wait()
            result["escalated"] = complaints.escalate_all(db)

        threads = [threading.Thread(target=judge), threading.Thread(target=escalate)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not isinstance(result["judge"], Exception), "the judgement was refused"
        row = db.one("complaints/row", {"id": cid})
        assert (row["validity"], row["grade"], row["urgency"], row["judged_by"]) == \
               ("valid", "important", "urgent", "supervisor1")
        actions = [a for (a,) in db._conn.execute(
            "SELECT action FROM complaint_history WHERE complaint_id = ? ORDER BY id", [cid]).fetchall()]
        assert "judge" in actions
        assert (row["escalation_level"] != "project") == ("escalate" in actions)
        outcomes.append(actions.index("escalate") < actions.index("judge") if "escalate" in actions else None)
    complaints.escalate_all(db)  # whatever the timer missed in a race, its next run does
    assert outcomes  # (which one came first varies: both orders keep the judgement)


def test_an_escalation_skips_a_complaint_a_user_changed_since_it_read_it(db):
    """The conditional write itself: version or status moved → no row written, nothing recorded."""
    cid = late(db)
    row = db.one("complaints/row", {"id": cid})
    sup = actor(db, "supervisor1")
    complaints.judge(db, sup, cid, row["version"], "valid", "依据", "general", "normal")

    def stale(tx):
        return tx.execute("complaints/escalate", {
            "id": cid, "version": row["version"], "status": row["status"], "escalation_level": "branch_manager",
            "escalated_first_response": True, "escalated_resolve": True, "from_level": row["escalation_level"],
            "from_first": row["escalated_first_response"], "from_resolve": row["escalated_resolve"]})

    assert db.transaction(stale) == []
    assert db.one("complaints/row", {"id": cid})["escalation_level"] == "project"


def test_an_escalation_read_before_another_run_escalated_it_writes_nothing(db):
    """The escalation does not move the version, so the escalation state read is the condition
    too (complaints/escalate): a second run that read the row before the first escalated it (two
    app processes' timers, cron on PostgreSQL) writes nothing and records nothing."""
    cid = late(db)
    row = db.one("complaints/row", {"id": cid})
    assert service.escalate(db) >= 1
    after = db.one("complaints/row", {"id": cid})
    assert after["version"] == row["version"] and after["escalation_level"] == "branch_manager"

    def second(tx):
        return tx.execute("complaints/escalate", {
            "id": cid, "version": row["version"], "status": row["status"], "escalation_level": "branch_manager",
            "escalated_first_response": True, "escalated_resolve": False, "from_level": row["escalation_level"],
            "from_first": row["escalated_first_response"], "from_resolve": row["escalated_resolve"]})

    assert db.transaction(second) == []
    history = db.df("complaints/timeline", {"complaint_id": cid, **actor(db, "supervisor1").params()})
    assert list(history["action"]).count("escalate") == 1


@pytest.mark.duckdb_only("a DuckDB file of its own removed under the service (no `db`)")
def test_the_service_stops_quietly_when_its_database_file_is_removed(tmp_path):
    """A test's temporary folder (or a moved installation) removed under a serving process: the
    timer stops instead of logging a traceback every beat."""
    from pathlib import Path

    from csm.db import open_database

    path = tmp_path / "gone" / "csm.duckdb"
    path.parent.mkdir()
    gone_db = open_database(str(path))
    svc = service.Service(gone_db, escalate_every=60, beat_every=0.1).start()
    try:
        assert svc.alive()
        gone_db.close()
        for p in sorted(path.parent.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        assert wait_until(lambda: not svc._thread.is_alive(), 10)
        assert not Path(path).exists()
    finally:
        svc.stop()


@pytest.mark.duckdb_only("the heartbeat file and the control channel's requests are the DuckDB file's")
def test_a_long_escalation_run_does_not_stop_the_heartbeat(db, monkeypatch):
    """An escalation run after a long stop takes minutes on a large database: the heartbeat (and the
    commands' requests) go on meanwhile, else `python -m csm backup` would find nobody serving and
    be refused; a second run is not started while the first goes on."""
    started, release = threading.Event(), threading.Event()
    runs = []

    def slow(db_, now=None):
        runs.append(time.monotonic())
        started.set()
        release.wait(30)
        return 0

    monkeypatch.setattr(service, "escalate", slow)
    svc = service.Service(db, escalate_every=0.2, beat_every=0.1).start()
    try:
        assert started.wait(10)
        first = control.read_json(svc.spool / control.HEARTBEAT)["beat"]
        assert wait_until(lambda: control.read_json(svc.spool / control.HEARTBEAT)["beat"] > first + 0.5, 10)
        answer, _beat = control.ask(db.path, "ping", timeout=10)
        assert answer["ok"]  # a command is answered during the run
        assert len(runs) == 1  # no second run while the first goes on
    finally:
        release.set()
        svc.stop()
