"""The demo data set: deterministic, every status and revisit kind, due times by the one SLA module."""

from __future__ import annotations

from datetime import UTC, datetime

from csm import sla, status
from csm.db import open_database
from tests.conftest import DEMO_ANCHOR, calendar_time
from tools import demo


def q(db, sql):
    return db._conn.execute(sql).fetchall()


def test_complaints_in_every_status_some_overdue_and_escalated(db):
    statuses = {s for (s,) in q(db, "SELECT DISTINCT status FROM complaints")}
    assert statuses == set(status.STATUSES)
    escalated = q(db, "SELECT count(*) FROM complaints WHERE escalation_level <> 'project'")[0][0]
    assert escalated > 0
    overdue = q(db, f"SELECT count(*) FROM complaints WHERE complaint_overdue(status, first_response_due_at, "
                    f"first_response_at, resolve_due_at, resolved_at, closed_at, TIMESTAMPTZ '{DEMO_ANCHOR}')")[0][0]
    assert overdue > 0
    # every escalation is in the history too
    assert q(db, "SELECT count(DISTINCT complaint_id) FROM complaint_history WHERE action = 'escalate'")[0][0] == escalated


def test_demo_due_times_follow_the_sla_module(db):
    rows = db._conn.execute("SELECT received_at, grade, urgency, forward_due_at, first_response_due_at, "
                            "resolve_due_at FROM complaints ORDER BY id LIMIT 50").fetchall()
    for received, grade, urgency, fwd, first, resolve in rows:
        due = sla.due_times(received, sla.limits_for(db, grade, urgency), None)
        assert (fwd, first, resolve) == (due.forward_due_at, due.first_response_due_at, due.resolve_due_at)


def test_closed_complaints_were_confirmed_or_explained(db):
    bad = q(db, "SELECT count(*) FROM complaints WHERE status = 'closed' AND NOT "
                "((validity <> 'invalid' AND close_satisfied AND confirmed_by IS NOT NULL) "
                " OR (validity = 'invalid' AND close_explanation IS NOT NULL))")[0][0]
    assert bad == 0


def test_revisits_of_every_kind_some_overdue_some_unsatisfied(db):
    kinds = {k for (k,) in q(db, "SELECT DISTINCT kind FROM revisit_tasks")}
    assert kinds >= {"complaint", "repair", "paid_service", "move_in", "serious"}
    assert q(db, f"SELECT count(*) FROM revisit_tasks WHERE status = 'open' AND due_at < TIMESTAMPTZ '{DEMO_ANCHOR}'")[0][0] > 0
    assert q(db, "SELECT count(*) FROM revisit_records WHERE satisfaction = 'unsatisfied'")[0][0] > 0
    assert q(db, "SELECT count(*) FROM revisit_records WHERE NOT reached")[0][0] > 0


def test_same_seed_same_data(tmp_path):
    anchor = datetime(2026, 9, 1, tzinfo=UTC)
    digests = []
    for name in ("a", "b"):
        db = open_database(str(tmp_path / f"{name}.duckdb"))
        demo.generate(db, "tiny", seed=11, anchor=anchor)
        digests.append([
            q(db, "SELECT count(*), sum(hash(code, description, status, complainant_name)) FROM complaints"),
            q(db, "SELECT count(*), sum(hash(response_id, item_key, rating)) FROM survey_answers"),
            q(db, "SELECT count(*), sum(hash(kind, status, due_at, satisfaction)) FROM revisit_tasks"),
            q(db, "SELECT count(*), sum(hash(project_id, item_key, status, deadline)) FROM survey_actions")])
        db.close()
    assert digests[0] == digests[1]


def test_survey_counts_match_the_answers(db):
    """survey_item_counts (what analysis reads) equals counting the raw answers."""
    raw = q(db, "SELECT r.wave_id, r.project_id, a.item_key, count(*) FILTER (WHERE a.rating = 4), "
                "count(*) FILTER (WHERE a.rating = 1), count(*) FILTER (WHERE a.rating IS NULL) "
                "FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id GROUP BY ALL ORDER BY ALL")
    counted = q(db, "SELECT wave_id, project_id, item_key, n4, n1, n0 FROM survey_item_counts "
                    "WHERE n4 + n3 + n2 + n1 + n0 > 0 ORDER BY ALL")
    assert raw and raw == counted


def test_demo_revisit_and_owner_rules_follow_the_domain(db):
    """The set-based demo uses the same rules as the commands: revisit due times from
    revisits.due_at, owner levels from complaints.owner_level_for."""
    calendar_time(db)  # the demo's history is generated in calendar time (calendars count for new work)
    from csm import complaints, revisits

    tasks = db._conn.execute("SELECT DISTINCT ON (kind) kind, branch_id, event_at, due_at FROM revisit_tasks "
                             "WHERE kind <> 'survey' ORDER BY kind, id").fetchall()
    assert {k for k, *_ in tasks} >= {"complaint", "repair", "paid_service", "move_in", "serious"}
    for kind, branch, event_at, due_at in tasks:
        assert db.transaction(lambda tx, k=kind, b=branch, e=event_at: revisits.due_at(tx, k, b, e)) == due_at, kind
    rows = db._conn.execute("SELECT c.grade, ch.origin, c.owner_level FROM complaints c "
                            "JOIN channels ch ON ch.id = c.channel_id").fetchall()
    assert {(g, o, lv) for g, o, lv in rows} and all(complaints.owner_level_for(g, o) == lv for g, o, lv in rows)


def test_demo_command_loads_an_empty_database_and_keeps_one_with_data(db_path, tmp_path, capsys):
    from tools.demo import cli as demo_cli

    assert demo_cli.main(["--db", db_path, "--size", "tiny"]) == 0
    assert "already has data" in capsys.readouterr().out
    fresh = tmp_path / "fresh.duckdb"
    assert demo_cli.main(["--db", str(fresh), "--size", "tiny", "--seed", "3"]) == 0
    assert "demo data (tiny, seed 3)" in capsys.readouterr().out
    db = open_database(str(fresh))
    try:
        assert db.value("demo/count_complaints") == 400
        assert not demo.is_empty(db)
    finally:
        db.close()


def test_tools_run_from_the_repository_root():
    """`make run` and `make bench` call python -m tools.demo / tools.bench from the root."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    for module in ("tools.demo", "tools.bench"):
        done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert f"python -m {module}" in done.stdout
