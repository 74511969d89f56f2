"""Runs every statement of every migration against PostgreSQL and reports which ones are
refused, to see whether the DuckDB migrations can run unchanged.

  --through extension   every statement through DuckDB's postgres extension (tables into pg,
                        macros into DuckDB's in-memory catalog)
  --through native      macros into DuckDB's memory; everything else first as PostgreSQL's own
                        SQL (postgres_execute), then, if PostgreSQL refuses it, through the
                        extension (DuckDB-only functions in an INSERT … SELECT)

Usage: python -m tools.spike_storage.ddl_probe --through native   (on an empty database)"""

from __future__ import annotations

import argparse
import sys

from tools.spike_storage import common

MACRO, TYPES, pg_dialect = common.MACRO, common.TYPES, common.pg_dialect  # csm/storage/pg.py's own


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--through", choices=("extension", "native"), default="extension")
    args = ap.parse_args()
    con = common.connect_pg()
    failed, total, fallback = 0, 0, 0
    for version, name, path in common.migrations():
        for stmt in common.statements(path.read_text(encoding="utf-8")):
            total += 1
            first = " ".join(stmt.split())[:90]
            if MACRO.match(stmt):
                stmt = MACRO.sub(lambda m: m.group(0) + "memory.main.", stmt, count=1)
                target = "duckdb"
            else:
                target = "pg" if args.through == "native" else "duckdb"
            try:
                if target == "pg":
                    try:
                        con.execute("SELECT * FROM postgres_execute('pg', ?)", [pg_dialect(stmt)]).fetchall()
                        con.execute("CALL pg_clear_cache()")  # DuckDB caches pg's catalog
                        continue
                    except Exception as exc:  # noqa: BLE001
                        native_error = " ".join(str(exc).split())[:400]
                        fallback += 1
                con.execute(stmt).fetchall()
                if target == "pg":
                    print(f"{version:03d} {name}: via the extension after PostgreSQL refused: {first}\n"
                          f"    (pg: {native_error})")
            except Exception as exc:  # noqa: BLE001 (a probe: every refusal is reported)
                failed += 1
                if target == "pg":
                    print(f"    (pg: {native_error})")
                print(f"{version:03d} {name}: {first}\n    -> {type(exc).__name__}: "
                      f"{str(exc).splitlines()[0][:200]}")
    print(f"{total} statements, {failed} refused, {fallback} refused natively")
    return 0


if __name__ == "__main__":
    sys.exit(main())
