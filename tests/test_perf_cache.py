"""Cached reads show a write at the next rerun; the loaded heap is frozen once per set of modules."""

from __future__ import annotations

import gc
import sys
import types

from csm.dashboards import reads
from csm.dashboards.kpis import Period
from csm.web import cache
from tests.conftest import actor
from tests.test_complaints import intake


def test_a_filing_shows_in_the_cached_rows_behind_a_bar_at_the_next_call(db):
    from csm import complaints

    manager, clerk = actor(db, "manager_b1"), actor(db, "clerk1")
    today = manager.today()
    period = Period(today.replace(day=1), today)
    before = cache.cached(reads.complaints_behind, db, manager, period, None, None)
    assert cache.cached(reads.complaints_behind, db, manager, period, None, None) == before  # served again
    filed = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))
    after = cache.cached(reads.complaints_behind, db, manager, period, None, None)
    assert filed["code"] in [r["code"] for r in after] and filed["code"] not in [r["code"] for r in before]


def test_the_heap_is_frozen_again_only_when_modules_were_loaded(monkeypatch):
    monkeypatch.setattr(cache, "_frozen_modules", 0)
    try:
        cache.freeze_loaded_heap()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        kept = [object() for _ in range(3)], {"a": [1]}  # tracked objects made after the freeze
        cache.freeze_loaded_heap()  # no module loaded meanwhile: nothing more frozen (a frozen
        assert gc.get_freeze_count() <= frozen  # object freed by its reference count leaves the count)
        monkeypatch.setitem(sys.modules, "csm_test_new_module", types.ModuleType("csm_test_new_module"))
        before = gc.get_freeze_count()
        cache.freeze_loaded_heap()
        assert gc.get_freeze_count() > before  # `kept` (made after the first freeze) frozen now
        del kept
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


# ---- the live lists (csm.web.cache.live): inbox count, desk, queues -----------------------------

def test_live_reads_are_per_user_and_computed_again_after_a_write(db):
    from csm.actor import Actor
    from csm.org.scope import Scope

    calls: list = []

    def counted(db, actor, what):
        calls.append((actor.user_id, what))
        return len(calls)

    a = Actor(11, "a", "clerk", Scope("project", 1), tz=db.timezone)
    b = Actor(12, "b", "clerk", Scope("project", 1), tz=db.timezone)  # same role and scope, another user
    first = cache.live(counted, db, a, "inbox")
    assert cache.live(counted, db, a, "inbox") == first and len(calls) == 1  # served again
    assert cache.live(counted, db, b, "inbox") != first  # "assigned to me" is never shared
    db.transaction(lambda tx: tx.execute("core/setting_get", {"key": "timezone"}))
    assert cache.live(counted, db, a, "inbox") != first  # a committed write: computed again


def test_the_menu_count_follows_a_write_at_the_next_call(db):
    from csm import revisits
    from csm.complaints import reads as complaint_reads
    from csm.web import ui

    clerk = actor(db, "clerk1")
    user = {"id": clerk.user_id, "username": clerk.username, "role": clerk.role,
            "scope_kind": clerk.scope.kind, "scope_id": clerk.scope.id, "display_name": clerk.display_name,
            "lang": "zh"}
    before = ui.inbox_count(user)
    assert before == complaint_reads.inbox_count(db, clerk) and before > 0
    # an unassigned revisit of the clerk's project due by today is in the inbox; given to the
    # supervisor, it leaves it
    queue = revisits.reads.tasks(db, clerk, revisits.reads.Filters(bucket="overdue"))
    task = queue[queue["assignee"].isna()].iloc[0]
    supervisor = actor(db, "supervisor1")
    revisits.commands.assign(db, clerk, int(task["id"]), int(task["version"]), supervisor.user_id)
    assert ui.inbox_count(user) == complaint_reads.inbox_count(db, clerk) == before - 1


def test_a_filing_shows_on_the_desk_at_the_next_rerun(db_path, db):
    from csm import complaints
    from tests.apptest_helpers import open_page

    at = open_page("clerk1", "complaints")
    assert not at.exception

    def total_and_codes():
        total = next(m.value for m in at.metric if m.label == "合计")
        return total, set(at.dataframe[0].value["投诉编号"])

    before, codes = total_and_codes()
    at.run()
    assert total_and_codes() == (before, codes)  # no write: the same figures (from the cache)
    clerk = actor(db, "clerk1")  # another handle on the same file, as the tests' writes are
    filed = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))
    at.run()
    after, codes_after = total_and_codes()
    assert int(after.replace(",", "")) == int(before.replace(",", "")) + 1
    assert filed["code"] in codes_after and filed["code"] not in codes


def test_touching_a_session_leaves_the_data_version_alone(db):
    from datetime import timedelta

    from csm.org import sessions

    clerk = actor(db, "clerk1")
    token = sessions.open_session(db, clerk.user_id)
    seen = db.value("users/session_user", {"id": sessions.digest(token)})
    version = db.version
    later = sessions.now_utc() + sessions.TOUCH_EVERY + timedelta(seconds=1)
    assert sessions.resume(db, token, at=later) is not None
    assert db.version == version  # cached figures stay valid
    row = db.one("users/session_user", {"id": sessions.digest(token)})
    assert row["session_last_seen"] >= later - timedelta(seconds=1) and seen is not None  # touched


def test_every_handle_on_a_file_counts_the_same_data_version(db_path, db):
    from csm.db import open_database

    other = open_database(db_path)
    try:
        assert other.version == db.version
        db.transaction(lambda tx: tx.execute("core/setting_get", {"key": "timezone"}))
        assert other.version == db.version  # a write through one handle is seen by the other's cache keys
    finally:
        other.close()
