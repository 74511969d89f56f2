"""The desk's and the dashboard's reads on the spike's store, warm, R runs each:

  product   the product's own read functions (csm.complaints.reads.worklist / status_counts,
            the named dashboards/complaints_by), their DuckDB-dialect SQL and macros unchanged,
            DuckDB pulling the rows from PostgreSQL (or DuckLake's files) with what it pushes down
  pushdown  (pg only) the same answers in PostgreSQL's own SQL through postgres_query: all the
            work in PostgreSQL, only the result rows cross

Usage: python -m tools.spike_storage.reads --engine pg|lake|duckdb --runs 10"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from tools.spike_storage import common

PG_WORKLIST = """
SELECT c.id, c.code, c.status, c.grade, c.urgency, c.validity, c.received_at, c.resolve_due_at,
       p.name AS project, c.unit_text, c.complainant_name, c.complainant_phone AS phone,
       cat.name AS category, d.name AS department, u.display_name AS assignee,
       left(c.description, 60) AS summary, c.version
FROM complaints c
JOIN projects p ON p.id = c.project_id
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN departments d ON d.id = c.department_id
LEFT JOIN users u ON u.id = c.assignee_id
WHERE c.project_id = 1
ORDER BY (c.status IN ('resolved', 'closed')), c.resolve_due_at, c.id
LIMIT 51"""
PG_STATUS = """
SELECT status, count(*) AS n,
       count(*) FILTER (WHERE status NOT IN ('resolved', 'closed') AND resolve_due_at < now()) AS overdue
FROM complaints WHERE project_id = 1 GROUP BY status"""
PG_DASHBOARD = """
SELECT coalesce(top.code, cat.code) AS value, count(*) AS n
FROM complaints c JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories top ON top.id = cat.parent_id
WHERE c.received_at >= now() - interval '365 days'
GROUP BY 1 ORDER BY n DESC"""


class LakeDatabase(common.csm_db.Database):
    def __init__(self):
        import threading

        from csm.actor import DEFAULT_TZ

        self._conn = common.connect_lake()
        self.path = "ducklake"
        for _v, _n, path in common.migrations():
            for stmt in common.statements(path.read_text(encoding="utf-8")):
                if common.MACRO.match(stmt):
                    try:
                        self._conn.execute(common.MACRO.sub(lambda m: m.group(0) + "memory.main.", stmt,
                                                            count=1)).fetchall()
                    except Exception:  # noqa: BLE001 (macros over tables the lake copy lacks)
                        pass
        self._lock = threading.Lock()
        self.timezone = DEFAULT_TZ
        self.version = 0

    def cursor(self):
        cur = super().cursor()
        cur.execute("SET search_path = 'lake.main,memory.main'")
        return cur


def timed(fn, runs: int) -> dict:
    fn()  # warm
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(common.pct(ms, 0.95), 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=("pg", "lake", "duckdb"), default="pg")
    ap.add_argument("--file", default="/tmp/pg-bench.duckdb", help="--engine duckdb: a COPY of the bench file")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    from csm.actor import Actor
    from csm.complaints import reads
    from csm.org import users

    if args.engine == "duckdb":  # the baseline: today's embedded file
        from csm.db import open_database

        db = open_database(args.file)
    else:
        db = common.open_pg() if args.engine == "pg" else LakeDatabase()
    clerk = Actor.of(users.get(db, "clerk1"), tz=db.timezone)
    hq = Actor.of(users.get(db, "hq"), tz=db.timezone)
    now = datetime.now(UTC)
    dash = {**hq.params(), "period_start": now - timedelta(days=365), "period_end": now, "dimension": "category"}
    out = {"engine": args.engine, "runs": args.runs}
    out["worklist(project) product"] = timed(lambda: reads.worklist(db, clerk), args.runs)
    out["status_counts(project) product"] = timed(lambda: reads.status_counts(db, clerk), args.runs)
    out["worklist(group) product"] = timed(lambda: reads.worklist(db, hq), args.runs)
    out["status_counts(group) product"] = timed(lambda: reads.status_counts(db, hq), args.runs)
    out["dashboard complaints_by(group, 1 year) product"] = timed(
        lambda: db.df("dashboards/complaints_by", dash), args.runs)
    if args.engine == "pg":
        def pushed(sql):
            def run():
                cur = db.cursor()
                try:
                    return cur.execute("SELECT * FROM postgres_query('pg', ?)", [sql]).df()
                finally:
                    cur.close()
            return run
        out["worklist(project) pushdown"] = timed(pushed(PG_WORKLIST), args.runs)
        out["status_counts(project) pushdown"] = timed(pushed(PG_STATUS), args.runs)
        out["status_counts(group) pushdown"] = timed(pushed(PG_STATUS.replace("WHERE project_id = 1 ", "")),
                                                     args.runs)
        out["dashboard(group, 1 year) pushdown"] = timed(pushed(PG_DASHBOARD), args.runs)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
