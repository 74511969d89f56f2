"""DuckLake for the spike: catalog in PostgreSQL (database csm_lake), data files in
SPIKE_LAKE_DATA (/tmp/pg-lake-data, the shared-storage stand-in). Copies the tables the filing
and the desk/dashboard reads use from a COPY of the bench database.
Usage: python -m tools.spike_storage.lake_load /tmp/pg-bench.duckdb"""

from __future__ import annotations

import sys
import time

from tools.spike_storage import common

TABLES = ["settings", "branches", "projects", "departments", "categories", "channels", "users",
          "complaint_counters", "notifications", "complaints", "complaint_history"]


def main() -> int:
    con = common.connect_lake()
    con.execute(f"ATTACH '{sys.argv[1]}' AS bench (READ_ONLY)")
    for table in TABLES:
        t = time.perf_counter()
        con.execute(f"DROP TABLE IF EXISTS lake.main.{table}")
        # complaint_history: the columns only (its 5.5 M rows are not read by the spike)
        limit = " LIMIT 0" if table == "complaint_history" else ""
        con.execute(f"CREATE TABLE lake.main.{table} AS SELECT * FROM bench.main.{table}{limit}")
        n = con.execute(f"SELECT count(*) FROM lake.main.{table}").fetchone()[0]
        print(f"{table}: {n} rows in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
