"""The desk's faster reads give the same rows: the worklist statement (re-joined within the scope
so that the project-ordered table of migration 024 prunes) against the statement it replaced, for
every role, filter and page; and migration 024's rewrite keeps every row, key and default."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from csm import complaints, config
from csm.complaints import reads
from csm.db import bind, queries
from tests.conftest import actor

# complaints/worklist as it was before (one scan of the whole company's table to re-join the page),
# with the later rule that an imported complaint is never overdue and is marked `imported`
BEFORE = """
WITH f AS (
    SELECT c.id, c.status, c.resolve_due_at
    FROM complaints_filtered($scope_kind, $scope_id, $grade, $category_id, $department_id, $project_id,
                             $assignee_id, $date_from, $date_to, $text, $escalated_only) c
    WHERE ($status IS NULL OR c.status = $status)
      AND (NOT $overdue_only OR c.import_batch_id IS NULL AND complaint_overdue(c.status, c.first_response_due_at, c.first_response_at,
                                                  c.resolve_due_at, c.resolved_at, c.closed_at, $now))
), pick AS (
    SELECT id, complaint_done(status) AS done, resolve_due_at FROM f
    ORDER BY done, resolve_due_at, id
    LIMIT $limit OFFSET $offset
)
SELECT f.id, f.code, f.status, f.grade, f.urgency, f.validity, f.received_at, f.resolve_due_at,
       f.first_response_due_at,
       f.import_batch_id IS NULL AND complaint_overdue(f.status, f.first_response_due_at, f.first_response_at,
                         f.resolve_due_at, f.resolved_at, f.closed_at, $now) AS overdue,
       f.import_batch_id IS NOT NULL AS imported,
       f.escalation_level, f.owner_level,
       p.name AS project, f.unit_text, f.complainant_name,
       CASE WHEN $scope_kind = 'project' THEN f.complainant_phone
            ELSE mask_phone(f.complainant_phone) END AS phone,
       cat.name AS category, cat.name_en AS category_en, d.name AS department,
       d.name_en AS department_en, u.display_name AS assignee,
       left(f.description, 60) AS summary, f.version
FROM pick
JOIN complaints f ON f.id = pick.id
JOIN projects p ON p.id = f.project_id
JOIN categories cat ON cat.id = f.category_id
LEFT JOIN departments d ON d.id = f.department_id
LEFT JOIN users u ON u.id = f.assignee_id
ORDER BY pick.done, pick.resolve_due_at, pick.id
"""

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)


def raw(db, sql: str, params: dict):
    cur = db.cursor()
    try:
        return cur.execute(sql, bind(sql, params)).df()
    finally:
        cur.close()


def filter_cases(db):
    cats = db.df("complaints/categories_tree")
    yield reads.Filters()
    yield reads.Filters(status="received")
    yield reads.Filters(status="closed")
    yield reads.Filters(grade="general")
    yield reads.Filters(category_id=int(cats["parent_id"].iloc[0]))
    yield reads.Filters(text="漏")
    yield reads.Filters(overdue_only=True)
    yield reads.Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))


@pytest.mark.parametrize("username", ["hq", "manager_b1", "supervisor1", "clerk1", "clerk2"])
def test_worklist_rows_equal_the_statement_it_replaced(db, username):
    who = actor(db, username)
    checked = 0
    for filters in filter_cases(db):
        for offset, limit in ((0, 50), (50, 50), (0, 2000)):
            params = {**reads._params(db, who, filters, NOW), "limit": limit, "offset": offset}
            now = raw(db, queries()["complaints/worklist"], params)
            then = raw(db, BEFORE, params)
            assert now.equals(then), (username, filters, offset)
            checked += len(now)
    assert checked > 0  # the cases did list rows


def _complaints_table(db):
    return raw(db, "SELECT * FROM complaints ORDER BY id", {})


def _rewrite_sql() -> str:
    text = (config.MIGRATIONS_DIR / "024_complaints_by_project.sql").read_text(encoding="utf-8")
    return text.split("CREATE TABLE complaint_code_returns")[0]


def test_migration_024_rewrite_keeps_rows_keys_and_defaults(db):
    for username in ("clerk2", "clerk1", "clerk2"):  # rows of two projects, appended after the demo's
        _file(db, username)
    before = _complaints_table(db)
    columns = raw(db, "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
                      "WHERE table_name = 'complaints' ORDER BY column_index", {})
    cur = db.cursor()
    cur.execute("BEGIN TRANSACTION")
    cur.execute(_rewrite_sql())
    cur.execute("COMMIT")
    cur.close()
    assert _complaints_table(db).equals(before)
    assert raw(db, "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
                   "WHERE table_name = 'complaints' ORDER BY column_index", {}).equals(columns)
    physical = raw(db, "SELECT project_id FROM complaints", {})["project_id"].tolist()
    assert physical == sorted(physical)  # stored in project order: zone maps prune a project's scan
    filed = _file(db, "clerk1")  # its id from the sequence, as before
    assert filed["id"] == int(before["id"].max()) + 1
    cur = db.cursor()
    try:  # the code is still unique
        with pytest.raises(Exception, match="(?i)duplicate|unique|constraint"):
            cur.execute("UPDATE complaints SET code = ? WHERE id = ?", [before["code"].iloc[0], filed["id"]])
    finally:
        cur.close()


def _file(db, username: str) -> dict:
    from tests.test_complaints import intake

    who = actor(db, username)
    return complaints.file_complaint(db, who, intake(db, who.scope.id))
