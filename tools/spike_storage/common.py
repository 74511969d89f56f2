"""Shared by the spike scripts: connections to the PostgreSQL store through DuckDB's postgres
extension, DuckLake with its catalog in PostgreSQL, and the product's migrations split into
statements."""

from __future__ import annotations

import os
import statistics

import duckdb

from csm import config, engines
from csm import db as csm_db

# the product's migration runner's own pieces (csm/storage/pg.py), not copies: the spike's scripts take them from here
from csm.storage.pg import MACRO, TYPES, pg_dialect, statements  # noqa: F401

PG_DSN = os.environ.get("SPIKE_PG_DSN", "dbname=csm_spike host=127.0.0.1 user=csm password=csm")
SLICE_URL = os.environ.get("SPIKE_SLICE_URL", "postgresql://csm_test:csm_test@127.0.0.1:5432/csm_spike_slice")
LAKE_DATA = os.environ.get("SPIKE_LAKE_DATA", "/tmp/pg-lake-data")
LAKE_DSN = os.environ.get("SPIKE_LAKE_DSN", "dbname=csm_lake host=127.0.0.1 user=csm password=csm")


def silence_progress() -> None:
    os.environ.setdefault("SPIKE_NO_PROGRESS", "1")


def _quiet(con) -> None:
    con.execute("SET enable_progress_bar = false")


def connect_pg(macros_from: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with PostgreSQL attached as `pg`; unqualified names resolve to pg's
    tables first, then to the macros kept in memory (the product's SQL runs unchanged)."""
    con = duckdb.connect()
    _quiet(con)
    for sql in engines.load_sql("postgres_scanner"):
        con.execute(sql)
    con.execute(f"ATTACH '{PG_DSN}' AS pg (TYPE postgres)")
    con.execute("SET search_path = 'pg.public,memory.main'")
    return con


def connect_lake() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    _quiet(con)
    for sql in engines.load_sql("postgres_scanner", "ducklake"):
        con.execute(sql)
    con.execute(f"ATTACH 'ducklake:postgres:{LAKE_DSN}' AS lake (DATA_PATH '{LAKE_DATA}')")
    con.execute("SET search_path = 'lake.main,memory.main'")
    return con


def migrations():
    return csm_db.migration_files(config.MIGRATIONS_DIR)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summary(ms: list[float]) -> str:
    return (f"n={len(ms)} p50={statistics.median(ms):.1f} ms p95={pct(ms, 0.95):.1f} ms "
            f"max={max(ms):.1f} ms")


def migrate_pg(con, macros_only: bool = False) -> tuple[int, int]:
    """The product's migrations on PostgreSQL: macros into DuckDB's in-memory catalog (again at
    every connect: PostgreSQL cannot keep them), every other statement as PostgreSQL's own SQL
    (two type names translated), through the extension when PostgreSQL refuses it (DuckDB-only
    functions). Returns (statements, of them through the extension)."""
    total = through = 0
    for _v, _n, path in migrations():
        for stmt in statements(path.read_text(encoding="utf-8")):
            if MACRO.match(stmt):
                con.execute(MACRO.sub(lambda m: m.group(0) + "memory.main.", stmt, count=1)).fetchall()
                continue
            if macros_only:
                continue
            total += 1
            try:
                con.execute("SELECT * FROM postgres_execute('pg', ?)", [pg_dialect(stmt)]).fetchall()
                con.execute("CALL pg_clear_cache()")
            except duckdb.Error:
                con.execute(stmt).fetchall()
                through += 1
    return total, through


class PgDatabase(csm_db.Database):
    """The product's Database on the PostgreSQL store: an in-memory DuckDB with pg attached,
    the macros replayed into memory, every cursor searching pg.public then memory.main. The
    spike's stand-in for the slice's hook in csm/db.py."""

    def __init__(self, dsn: str = PG_DSN, pool: int = 16):
        con = duckdb.connect()
        _quiet(con)
        for sql in engines.load_sql("postgres_scanner"):
            con.execute(sql)
        con.execute(f"SET pg_pool_max_connections = {int(pool)}")
        con.execute(f"ATTACH '{dsn}' AS pg (TYPE postgres)")
        con.execute("SET search_path = 'pg.public,memory.main'")
        migrate_pg(con, macros_only=True)
        self.path = dsn
        self._conn = con
        import threading

        from csm.actor import DEFAULT_TZ

        self._lock = threading.Lock()
        self.timezone = DEFAULT_TZ
        self.version = 0

    def cursor(self):
        cur = super().cursor()
        cur.execute("SET search_path = 'pg.public,memory.main'")
        return cur


def open_pg(dsn: str = PG_DSN, pool: int = 16) -> PgDatabase:
    db = PgDatabase(dsn, pool)
    db.execute("complaints/code_gaps_return")
    tz = db.value("core/setting_get", {"key": "timezone"})
    if tz:
        db.set_timezone(tz)
    return db


# ---- RETURNING: the postgres extension refuses it on INSERT/UPDATE/DELETE into a pg table
# ("RETURNING clause not yet supported"), and postgres_query cannot wrap DML (it runs
# COPY (SELECT … FROM (<query>)) TO STDOUT). The spike rewrites the three statements of a filing
# by hand; the product has 44 named statements with RETURNING (docs/storage.md).
_INSERT = csm_db.queries()["complaints/insert"]
_INSERT_WITH_ID = (_INSERT.replace("INSERT INTO complaints (code,", "INSERT INTO complaints (id, code,")
                   .replace("VALUES ($code,", "VALUES ($id, $code,").replace("RETURNING id", ""))
RETRIES = {"n": 0}


class PgTx(csm_db.Tx):
    def execute(self, name, params=None):
        cur = self.cur
        if name == "complaints/code_next":
            cur.execute("UPDATE complaint_counters SET last_no = last_no + 1 WHERE year = $year", params)
            return cur.execute("SELECT last_no FROM complaint_counters WHERE year = $year", params).fetchall()
        if name == "complaints/code_reuse":
            no = cur.execute("SELECT min(no) FROM complaint_code_returns WHERE year = $year", params).fetchone()[0]
            if no is None:
                return []
            cur.execute("DELETE FROM complaint_code_returns WHERE year = $year AND no = $no",
                        {"year": params["year"], "no": no})
            return [(no,)]
        if name == "complaints/insert":
            cid = cur.execute("SELECT * FROM postgres_query('pg', 'SELECT nextval(''seq_complaint'')')").fetchone()[0]
            cur.execute(_INSERT_WITH_ID, csm_db.bind(_INSERT_WITH_ID, {**params, "id": cid}))
            return [(cid,)]
        if name == "complaints/code_gaps_return":
            return []  # spike: not run (INSERT … SELECT … RETURNING)
        return super().execute(name, params)


def pg_transaction(self, work, retries: int = 30):
    """Database.transaction with PgTx, retrying PostgreSQL's serialization failures (the
    extension runs REPEATABLE READ: a row updated by a concurrent transaction)."""
    import random
    import time

    for attempt in range(retries + 1):
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            result = work(PgTx(cur))
            cur.execute("COMMIT")
            return result
        except Exception as exc:
            try:
                cur.execute("ROLLBACK")
            except duckdb.Error:
                pass
            text = str(exc).lower()
            if not ("could not serialize" in text or "conflict" in text or "deadlock" in text) or attempt == retries:
                raise
            RETRIES["n"] += 1
            time.sleep(random.uniform(0.002, 0.01) * (attempt + 1))
        finally:
            cur.close()
    raise AssertionError("unreachable")


PgDatabase.transaction = pg_transaction
