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
