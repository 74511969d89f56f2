"""The large demo into a PostgreSQL database, for `python -m tools.bench --engine postgres`.

    cp data/bench.duckdb /tmp/pgbench-bench.duckdb            # never the original
    python -m tools.bench_pg_load --source /tmp/pgbench-bench.duckdb \
        [--server postgresql://csm_test:csm_test@127.0.0.1:5432/csm_test] [--database csm_bench]
    python -m tools.bench_pg_load --drop                      # when done (disk)

1. The source (a COPY of the benchmark file) is brought to the current migrations on DuckDB
   (open_database), so both sides have the same tables and columns.
2. A fresh database `--database` on the server (dropped first if it exists), created by the
   product's own migrations (csm.db.open_database(url), what `CSM_DB_URL=… python -m csm init`
   does); what the migrations seeded (settings, reference defaults) is emptied.
3. Every table, parents before children (the foreign keys in PostgreSQL's catalog), through
   DuckDB's postgres extension: `INSERT INTO pg.public.t BY NAME SELECT * FROM bench.main.t`
   (the extension writes it with COPY … FROM STDIN (FORMAT binary)). The secondary indexes are
   dropped before and built after the data (one sort each instead of 30 M index insertions);
   primary keys and unique constraints stay (they check the data).
4. Each sequence behind a `DEFAULT nextval(…)` set past max(id); VACUUM ANALYZE.

The time per table is printed; the database is kept for the benchmark runs.
"""

from __future__ import annotations

import argparse
import sys
import time

import duckdb

from csm import engines

DEFAULT_SERVER = "postgresql://csm_test:csm_test@127.0.0.1:5432/csm_test"
DEFAULT_DATABASE = "csm_bench"
DEFAULT_SOURCE = "/tmp/pgbench-bench.duckdb"


def database_url(server: str, database: str) -> str:
    return f"{server.rsplit('/', 1)[0]}/{database}"


def _say(msg: str) -> None:
    print(msg, flush=True)


def drop(server: str, database: str) -> str | None:
    """Drop the database; its size before, as PostgreSQL reports it (None if it did not exist)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute("SELECT pg_size_pretty(pg_database_size(%s)) FROM pg_database WHERE datname = %s",
                           [database, database]).fetchone()
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return row[0] if row else None


def _create(server: str, database: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def table_order(conn) -> list[str]:
    """The public tables, every table after those its foreign keys point to."""
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'public'::regnamespace").fetchall():
        if child in parents and parent != child:
            parents[child].add(parent)
    order: list[str] = []
    while parents:
        ready = sorted(t for t, ps in parents.items() if not ps - set(order))
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle: {sorted(parents)}")
        order += ready
        for t in ready:
            del parents[t]
    return order


def secondary_indexes(conn) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes no constraint owns (primary keys and unique
    constraints stay: they check the data as it comes)."""
    return conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) ORDER BY i.relname").fetchall()


def sequences(conn) -> list[tuple[str, str, str]]:
    """(sequence, table, column) for every column whose default is nextval(…)."""
    out = []
    for table, column, default in conn.execute(
            "SELECT table_name, column_name, column_default FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'").fetchall():
        seq = default.split("'")[1]
        out.append((seq, table, column))
    return out


def load(source: str, server: str = DEFAULT_SERVER, database: str = DEFAULT_DATABASE,
         say=_say) -> dict:
    import psycopg

    from csm.db import open_database

    began = time.perf_counter()
    t0 = time.perf_counter()
    db = open_database(source)  # the copy at the current migrations, as the PostgreSQL side will be
    db.checkpoint()
    db.close()
    say(f"source {source} migrated in {time.perf_counter() - t0:.1f} s")

    url = database_url(server, database)
    t0 = time.perf_counter()
    _create(server, database)
    db = open_database(url)  # the product's migrations, as `CSM_DB_URL=… python -m csm init`
    db.close()
    say(f"database {database} created by the migrations in {time.perf_counter() - t0:.1f} s")

    timings: dict[str, dict] = {}
    with psycopg.connect(url, autocommit=True) as pg:
        order = table_order(pg)
        indexes = secondary_indexes(pg)
        pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in order if t != "schema_version") + " CASCADE")
        for name, _sql in indexes:
            pg.execute(f'DROP INDEX "{name}"')
        say(f"{len(order)} tables, {len(indexes)} secondary indexes dropped for the load")

        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        for sql in engines.load_sql("postgres_scanner"):
            con.execute(sql)
        con.execute(f"ATTACH '{source}' AS bench (READ_ONLY)")
        con.execute(f"ATTACH '{url}' AS pg (TYPE postgres)")
        have = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'bench' AND schema_name = 'main'").fetchall()}
        for table in order:
            if table == "schema_version" or table not in have:
                continue
            t0 = time.perf_counter()
            con.execute(f'INSERT INTO pg.public."{table}" BY NAME SELECT * FROM bench.main."{table}"')
            n = pg.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            s = time.perf_counter() - t0
            timings[table] = {"rows": n, "s": round(s, 1)}
            say(f"  {table:<24} {n:>11,} rows  {s:7.1f} s")
        con.close()

        t0 = time.perf_counter()
        pg.execute("SET maintenance_work_mem = '512MB'")
        for name, sql in indexes:
            t1 = time.perf_counter()
            pg.execute(sql)
            say(f"  index {name:<40} {time.perf_counter() - t1:6.1f} s")
        timings["(indexes)"] = {"rows": len(indexes), "s": round(time.perf_counter() - t0, 1)}

        for seq, table, column in sequences(pg):
            pg.execute(f"SELECT setval(%s, coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)",
                       [seq])
        t0 = time.perf_counter()
        pg.execute("VACUUM ANALYZE")  # the statistics, and the visibility map (index-only counts)
        timings["(vacuum analyze)"] = {"rows": 0, "s": round(time.perf_counter() - t0, 1)}
        size = pg.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    total = time.perf_counter() - began
    say(f"loaded into {database} in {total:.0f} s; its size {size}; "
        f"CSM_DB_URL={database_url(server, database)}")
    return {"url": url, "tables": timings, "seconds": round(total, 1), "size": size}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.bench_pg_load", description=__doc__.splitlines()[0])
    p.add_argument("--source", default=DEFAULT_SOURCE, help="a COPY of the benchmark's DuckDB file "
                                                            f"(default {DEFAULT_SOURCE}); it is migrated")
    p.add_argument("--server", default=DEFAULT_SERVER, help="a URL on the server whose role may CREATEDB")
    p.add_argument("--database", default=DEFAULT_DATABASE, help=f"the database to (re)create ({DEFAULT_DATABASE})")
    p.add_argument("--drop", action="store_true", help="drop the database and say its size")
    args = p.parse_args(argv)
    if args.drop:
        size = drop(args.server, args.database)
        print(f"dropped {args.database} ({size})" if size else f"no database {args.database}")
        return 0
    if "/data/bench.duckdb" in args.source:
        raise SystemExit("load from a copy of the benchmark file (cp it to /tmp first), never the original")
    load(args.source, args.server, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
