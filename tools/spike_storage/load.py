"""Creates the product's schema on the spike's PostgreSQL (tools/spike_storage/reset.sh first)
and copies the large demo's tables into it from a COPY of the bench database (never the
original). Usage: python -m tools.spike_storage.load /tmp/pg-bench.duckdb"""

from __future__ import annotations

import sys
import time

from tools.spike_storage import common

TABLES = ["settings", "branches", "projects", "buildings", "units", "departments", "categories",
          "channels", "users", "sla_settings", "work_calendars", "calendar_overrides",
          "revisit_settings", "complaint_counters", "notifications", "complaints"]
SEQUENCES = {"branches": "seq_branch", "projects": "seq_project", "buildings": "seq_building",
             "units": "seq_unit", "departments": "seq_department", "categories": "seq_category",
             "channels": "seq_channel", "users": "seq_user", "complaints": "seq_complaint"}


def main() -> int:
    bench = sys.argv[1]
    con = common.connect_pg()
    t = time.perf_counter()
    total, through = common.migrate_pg(con)
    print(f"migrations: {total} statements ({through} through the extension) in {time.perf_counter() - t:.1f} s")
    con.execute(f"ATTACH '{bench}' AS bench (READ_ONLY)")
    for table in TABLES:
        t = time.perf_counter()
        con.execute(f"SELECT * FROM postgres_execute('pg', 'TRUNCATE {table}')").fetchall()
        con.execute(f"INSERT INTO pg.public.{table} BY NAME SELECT * FROM bench.main.{table}")
        n = con.execute(f"SELECT count(*) FROM pg.public.{table}").fetchone()[0]
        print(f"{table}: {n} rows in {time.perf_counter() - t:.1f} s")
    for table, seq in SEQUENCES.items():
        con.execute("SELECT * FROM postgres_execute('pg', ?)",
                    [f"SELECT setval('{seq}', coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"]).fetchall()
    con.execute("SELECT * FROM postgres_execute('pg', 'ANALYZE')").fetchall()
    return 0


if __name__ == "__main__":
    sys.exit(main())
