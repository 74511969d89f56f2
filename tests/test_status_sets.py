"""The status sets are named once: every SQL macro of migration 017 answers, for every status,
what csm/status.py says (a truth table), and "late, for escalation" has one definition that the
escalation list, its re-check and the scheduler share."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm import config, status
from csm.db import Database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAST, FUTURE = NOW - timedelta(hours=1), NOW + timedelta(hours=1)


def sql(db: Database, text: str, *args):
    return db._conn.execute(text, list(args)).fetchone()[0]


@pytest.mark.parametrize("name", sorted(status.STATUS_SETS))
def test_every_set_macro_matches_status_py_for_every_status(db, name):
    members = status.STATUS_SETS[name]
    assert set(members) <= set(status.STATUSES)
    table = {s: bool(sql(db, f"SELECT {name}(?)", s)) for s in status.STATUSES}
    assert table == {s: s in members for s in status.STATUSES}


def test_the_sets_agree_with_the_status_machine():
    assert set(status.OPEN_STATUSES) | set(status.DONE_STATUSES) == set(status.STATUSES)
    assert not set(status.OPEN_STATUSES) & set(status.DONE_STATUSES)
    assert set(status.ESCALATABLE) == set(status.OPEN_STATUSES) - {"suspended"}
    assert set(status.WORKING) <= set(status.ESCALATABLE)
    assert all(status.TRANSITIONS["revisit_ok"].get(s) for s in status.AWAITING_REVISIT)


@pytest.mark.parametrize("state", status.STATUSES)
@pytest.mark.parametrize("escalated_first, answered, first_due", [
    (False, None, PAST), (True, None, PAST), (False, PAST, PAST), (False, None, FUTURE), (False, None, None)])
@pytest.mark.parametrize("escalated_resolve, resolve_due", [(False, PAST), (True, PAST), (False, FUTURE)])
def test_late_for_escalation_truth_table(db, state, escalated_first, answered, first_due, escalated_resolve,
                                         resolve_due):
    running = state in status.ESCALATABLE
    late_first = running and not escalated_first and answered is None and first_due is not None and first_due < NOW
    late_resolve = running and not escalated_resolve and resolve_due < NOW
    assert bool(sql(db, "SELECT coalesce(complaint_late_first_response(?, ?, ?, ?, ?), FALSE)",
                    state, escalated_first, answered, first_due, NOW)) == late_first
    assert bool(sql(db, "SELECT complaint_late_resolve(?, ?, ?, ?)",
                    state, escalated_resolve, resolve_due, NOW)) == late_resolve
    assert bool(sql(db, "SELECT coalesce(complaint_late_for_escalation(?, ?, ?, ?, ?, ?, ?), FALSE)",
                    state, escalated_first, answered, first_due, escalated_resolve, resolve_due, NOW)) \
        == (late_first or late_resolve)


def test_no_status_list_is_written_by_hand_in_the_product_queries():
    statuses = "|".join(status.STATUSES)
    listed = re.compile(rf"status\s+(NOT\s+)?IN\s*\(\s*'({statuses})'", re.IGNORECASE)
    compared = re.compile(rf"status\s*(=|<>|!=)\s*'({statuses})'", re.IGNORECASE)
    found = []
    for folder in ("complaints", "sla", "dashboards", "revisits", "core", "org"):
        for path in sorted((Path(config.QUERIES_DIR) / folder).glob("*.sql")):
            if path.name.endswith(".pg.sql"):  # PostgreSQL twins have no macros: tests/test_pg_twins.py
                continue
            text = path.read_text(encoding="utf-8")
            if listed.search(text) or compared.search(text):
                found.append(path.name)
    assert not found, f"status sets written out by hand (use the macros of migration 017): {found}"


def test_the_inbox_macro_uses_the_named_sets(db):
    # the inbox macro as migration 017 redefined it: no status list of its own
    text = (Path(config.MIGRATIONS_DIR) / "017_status_sets.sql").read_text(encoding="utf-8")
    inbox = text[text.index("CREATE OR REPLACE MACRO inbox_of"):]
    assert "c.status IN" not in inbox and "status <> 'suspended'" not in inbox
    assert "complaint_open(c.status)" in inbox and "complaint_assigned_work(c.status)" in inbox
