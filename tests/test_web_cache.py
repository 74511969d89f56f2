"""Cached dashboard reads: one computation per data version, scope and arguments."""

from __future__ import annotations

from csm.actor import Actor
from csm.org.scope import Scope
from csm.web.cache import cached

calls: list = []


def counted(db, actor, period, scope=None):
    calls.append((actor.scope, period, scope))
    return len(calls)


def test_cached_until_a_write_and_never_across_scopes(db):
    calls.clear()
    hq = Actor(1, "hq", "head_office", Scope("group"), tz=db.timezone)
    branch = Actor(2, "m", "manager", Scope("branch", 1), tz=db.timezone)
    first = cached(counted, db, hq, "2026-11")
    assert cached(counted, db, hq, "2026-11") == first and len(calls) == 1
    assert cached(counted, db, branch, "2026-11") != first          # another scope: its own figure
    assert cached(counted, db, hq, "2026-10") != first              # another period
    before = db.version
    db.transaction(lambda tx: tx.execute("core/setting_get", {"key": "timezone"}))
    assert db.version == before + 1
    assert cached(counted, db, hq, "2026-11") != first              # a write: computed again
