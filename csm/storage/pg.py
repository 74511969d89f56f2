"""PostgreSQL as the shared store (CSM_DB_URL=postgresql://…; docs/storage.md has the spike that
chose this shape):

- reads (Database.df/rows/one/value): the product's named SQL unchanged, in DuckDB's dialect,
  on an in-memory DuckDB with PostgreSQL attached as `pg` through the postgres extension; the
  migrations' macros (in_scope, complaints_filtered, …) live in DuckDB's memory, replayed at
  every open; unqualified names resolve to pg.public, then to memory.main;
- writes (Database.transaction → Tx): a native connection (psycopg, READ COMMITTED) — the
  extension refuses RETURNING, which 44 named statements use, and costs 5–18 ms a statement;
  the same statement files, `$name` bound as `%(name)s` (a str as `text`), a `<name>.pg` twin
  when one exists; a SELECT over a scalar macro runs natively too (their PostgreSQL functions:
  queries/migrations/pg/025_pg_functions.sql), seeing the transaction's own writes; a bulk load
  (NativeTx.load) COPYs the frame into a temporary table `staged` on the same connection;
- migrations: the same files, statement by statement as PostgreSQL's own SQL (two DuckDB type
  names translated), the macros into DuckDB's memory, a statement PostgreSQL refuses (a
  DuckDB-only function) through the extension; then queries/migrations/pg/NNN_*.sql, the
  PostgreSQL-only statements of the same number (indexes DuckDB's sorted file did without).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import duckdb

from csm import config, engines
from csm.storage.tx import TxReads

MACRO = re.compile(r"\s*CREATE\s+(OR\s+REPLACE\s+)?MACRO\s+", re.I)
TYPES = [(re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.I), "DOUBLE PRECISION"),
         (re.compile(r"\bTINYINT\b", re.I), "SMALLINT")]
PG_MIGRATIONS = config.MIGRATIONS_DIR / "pg"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
SEARCH_PATH = "SET search_path = 'pg.public,memory.main'"


def is_url(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres")


def redact(url: str) -> str:
    """The URL without its password, for a line an operator sees."""
    return re.sub(r"^(\w+://[^:/@]+):[^@]*@", r"\1:***@", url)


def pg_dialect(stmt: str) -> str:
    for pattern, name in TYPES:
        stmt = pattern.sub(name, stmt)
    return stmt


def statements(sql: str) -> list[str]:
    """A migration split on `;` outside quotes, its `--` comments removed first (no migration
    has `--` inside a string)."""
    sql = re.sub(r"--[^\n]*", "", sql)
    out, buf, quote = [], [], False
    for ch in sql:
        buf.append(ch)
        if ch == "'":
            quote = not quote
        elif ch == ";" and not quote:
            if "".join(buf).strip(" \n\t;"):
                out.append("".join(buf).strip())
            buf = []
    if "".join(buf).strip(" \n\t;"):
        out.append("".join(buf).strip())
    return out


def native_sql(sql: str) -> str:
    """A named statement for psycopg: `$name` → `%(name)s`, a literal `%` doubled."""
    sql = re.sub(r"--[^\n]*", "", sql).replace("%", "%%")
    return _PARAM.sub(lambda m: f"%({m.group(1)})s", sql)


_LOADED = threading.Lock()
_loaded_once = False  # this process has loaded the extension with its signature checked


def _reader() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB with the postgres extension loaded. The first in a process checks
    the extension file's signature (0.5–0.8 s: DuckDB hashes its 40 MB); the library then stays
    mapped in the process, and a later instance's LOAD gets that same, already checked library
    back (the dynamic loader matches the path it loaded), so it skips the check (0.001 s) — a
    test session or a tool opening many stores pays the check once, not per store."""
    global _loaded_once
    with _LOADED:
        con = duckdb.connect(config={"allow_unsigned_extensions": True} if _loaded_once else {})
        con.execute("SET enable_progress_bar = false")
        for sql in engines.load_sql("postgres_scanner"):
            con.execute(sql)
        _loaded_once = True
    return con


class Engine:
    """One per process: the DuckDB reader with pg attached, and the native connections' URL."""

    def __init__(self, url: str, pool: int = 16):
        import psycopg  # here: the DuckDB file never needs it

        self.url = url
        self._psycopg = psycopg
        con = _reader()
        con.execute(f"SET pg_pool_max_connections = {int(pool)}")
        con.execute(f"ATTACH '{url.replace(chr(39), chr(39) * 2)}' AS pg (TYPE postgres)")
        con.execute(SEARCH_PATH)
        self.duck = con
        self._native: list = []  # idle native connections (a tiny pool)
        self._lock = threading.Lock()
        self.macros_loaded = False
        self.macro_names: set[str] = set()
        self.pg_functions: set[str] = set()  # the macros' PostgreSQL twins (migration pg/025)
        self._columns: dict[str, dict[str, str]] = {}  # table -> column -> type (NativeTx.load)
        # the versions every process shares (cross-process cache invalidation): the last values of
        # two sequences, read at most every VERSION_SECONDS, moved after each commit (changed())
        self._versions: tuple[float, int, int] | None = None

    # ---- the versions shared by every process ------------------------------------------------
    VERSION_SECONDS = 0.25  # the documented bound: another process's write is seen this late at most

    def versions(self) -> tuple[int, int]:
        """(data version, reference version) as every process of this store sees them: the last
        values of the sequences csm_data_changes / csm_reference_changes, which every committed
        write transaction moves (changed()). Read natively at most every VERSION_SECONDS."""
        import time

        now = time.monotonic()
        seen = self._versions
        if seen is not None and now - seen[0] < self.VERSION_SECONDS:
            return seen[1], seen[2]
        conn = self.connect()
        try:
            conn.autocommit = True  # one statement: one round trip, no BEGIN / COMMIT around it
            with conn.cursor() as cur:
                cur.execute("SELECT (SELECT last_value FROM csm_data_changes),"
                            " (SELECT last_value FROM csm_reference_changes)")
                data, ref = cur.fetchone()
        except self._psycopg.errors.UndefinedTable:  # not migrated yet: nobody shares anything
            data, ref = 0, 0
        finally:
            self.release(conn)
        with self._lock:
            if self._versions is None or self._versions[1] <= data:
                self._versions = (now, int(data), int(ref))
            return self._versions[1], self._versions[2]

    CHANGED_SQL = {True: "SELECT nextval('csm_data_changes'), nextval('csm_reference_changes')",
                   False: "SELECT nextval('csm_data_changes'), (SELECT last_value FROM csm_reference_changes)"}

    def changed(self, conn, reference: bool) -> None:
        """After a commit (never before: a reader must not cache old data under the new version):
        move the shared versions, and this process's view of them at once (its own write shows at
        its next rerun). nextval never blocks and is not undone by a rollback (a spare move only
        costs a re-read). (A write transaction queues the same statement right behind its COMMIT
        instead, NativeTx.commit: one round trip for both.)"""
        with conn.cursor() as cur:
            cur.execute(self.CHANGED_SQL[reference])
            data, ref = cur.fetchone()
        conn.commit()
        self.saw(data, ref)

    def saw(self, data: int, ref: int) -> None:
        """The shared versions as a commit of this process just moved them."""
        import time

        with self._lock:
            if self._versions is None or self._versions[1] < data:
                self._versions = (time.monotonic(), int(data), int(ref))

    # ---- hot reads in PostgreSQL's own SQL (queries/<folder>/<name>.pg.sql) ---------------------
    def twin(self, name: str) -> str | None:
        """The PostgreSQL twin of a named read, if it has one: `<name>.pg` among the queries,
        the same parameters and columns, run natively (pushed down, indexed)."""
        from csm.db import queries

        twin = f"{name}.pg"
        return queries()[twin] if twin in queries() else None

    def read(self, sql: str, params: dict[str, Any], timezone: str):
        """A twin read on a native connection in the company's zone: (columns, rows)."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                # a custom plan each time: psycopg prepares a statement run 5 times on a connection,
                # and PostgreSQL's generic plan of a twin (`$scope_kind = 'group' OR … project_id =
                # $scope_id`) cannot use an index; with the values known the scope folds away
                # and random_page_cost 1.1 (the default 4 is for spinning disks): the store's pages
                # are in memory or on SSD, an index lookup per row is cheap (the group's inbox, its
                # 17,800 notices joined by key: 1.2 s -> 0.5 s)
                cur.execute("SELECT set_config('TimeZone', %s, true), "
                            "set_config('plan_cache_mode', 'force_custom_plan', true), "
                            "set_config('random_page_cost', '1.1', true)", [timezone])
                cur.execute(native_sql(sql), params)
                cols = [d[0] for d in cur.description]
                rows = cur.fetchall()
            conn.commit()
            return cols, rows
        except BaseException:
            conn.rollback()
            raise
        finally:
            self.release(conn)

    # ---- the native side -------------------------------------------------------------------
    def connect(self):
        with self._lock:
            if self._native:
                return self._native.pop()
        conn = self._psycopg.connect(self.url, autocommit=False)
        # a Python str bound as `text`, as DuckDB binds it as VARCHAR (psycopg's default, unknown,
        # leaves PostgreSQL to guess: "inconsistent types deduced for parameter" when a statement
        # uses one parameter twice, "unnest(unknown) is not unique" for a list of texts)
        from psycopg.types.string import StrDumper

        conn.adapters.register_dumper(str, StrDumper)
        return conn

    def release(self, conn) -> None:
        if conn.closed or conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            conn.close()
            return
        conn.autocommit = False  # as connect() made it (a write transaction or versions() set it)
        with self._lock:
            self._native.append(conn)

    def close(self) -> None:
        with self._lock:
            for conn in self._native:
                conn.close()
            self._native.clear()
        self.duck.close()

    def is_conflict(self, exc: Exception) -> bool:
        errors = self._psycopg.errors
        return isinstance(exc, (errors.SerializationFailure, errors.DeadlockDetected,
                                errors.LockNotAvailable))

    def is_constraint_violation(self, exc: Exception) -> bool:
        return isinstance(exc, self._psycopg.errors.IntegrityError)

    # ---- migrations ------------------------------------------------------------------------
    def migrate(self, files: list[tuple[int, str, Path]]) -> list[int]:
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                            " name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                cur.execute("SELECT version FROM schema_version")
                done = {r[0] for r in cur.fetchall()}
            conn.commit()
        finally:
            self.release(conn)
        applied = []
        for version, name, path in files:
            if version not in done:
                self._apply(version, name, path)
                applied.append(version)
        conn = self.connect()
        try:  # the shared versions (versions()): not a migration, they hold no data
            with conn.cursor() as cur:
                cur.execute("CREATE SEQUENCE IF NOT EXISTS csm_data_changes")
                cur.execute("CREATE SEQUENCE IF NOT EXISTS csm_reference_changes")
                # a new sequence's last_value is 1 before its first nextval, and that nextval gives
                # 1 again: the first write on a new store would leave the version where it was and
                # a read cached before it would stand. Moved once here, the first write gives 2.
                for seq in ("csm_data_changes", "csm_reference_changes"):
                    cur.execute(f"SELECT CASE WHEN NOT is_called THEN nextval('{seq}') END FROM {seq}")
            conn.commit()
        finally:
            self.release(conn)
        if applied:  # DuckDB's reader sees the new tables (once here, not after every file)
            con = self.duck.cursor()
            try:
                con.execute("CALL pg_clear_cache()")
            finally:
                con.close()
        self.load_macros(files)
        return applied

    def _apply(self, version: int, name: str, path: Path) -> None:
        """One migration: its PostgreSQL statements in one native transaction; a statement that
        needs DuckDB (its functions) runs through the extension after the native part committed
        its table(s). The statements run in file order either way."""
        con = None  # a DuckDB cursor, only for a statement PostgreSQL refuses (most files have none)
        stmts = statements(path.read_text(encoding="utf-8"))
        for extra in sorted(PG_MIGRATIONS.glob(f"{version:03d}_*.sql")):  # the same number, any name
            stmts += statements(extra.read_text(encoding="utf-8"))
        conn = self.connect()
        try:
            cur = conn.cursor()
            for stmt in stmts:
                if MACRO.match(stmt):
                    continue  # load_macros, after every table exists
                cur.execute("SAVEPOINT stmt")
                try:
                    cur.execute(pg_dialect(stmt).replace("%", "%%"))
                    cur.execute("RELEASE SAVEPOINT stmt")
                except self._psycopg.Error:
                    cur.execute("ROLLBACK TO SAVEPOINT stmt")
                    conn.commit()  # what came before, so that DuckDB sees it
                    if con is None:
                        con = self.duck.cursor()
                        con.execute(SEARCH_PATH)
                    con.execute("CALL pg_clear_cache()")
                    self._macros(con, upto=version)  # the statement may call a macro
                    con.execute(stmt).fetchall()
            cur.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", [version, name])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            self.release(conn)
            if con is not None:
                con.execute("CALL pg_clear_cache()")
                con.close()

    def _macros(self, con, upto: int | None = None, files=None) -> None:
        from csm.db import migration_files

        for version, _name, path in files or migration_files():
            if upto is not None and version > upto:
                break
            for stmt in statements(path.read_text(encoding="utf-8")):
                if MACRO.match(stmt):
                    self.macro_names.add(MACRO.sub("", stmt, count=1).split("(", 1)[0].strip().lower())
                    sql = MACRO.sub(lambda m: "CREATE OR REPLACE MACRO memory.main.", stmt, count=1)
                    try:
                        con.execute(sql).fetchall()
                    except duckdb.CatalogException:
                        if upto is None:
                            raise  # every table exists after the last migration

    def load_macros(self, files=None) -> None:
        """The macros into DuckDB's memory, as the last migration left them (each migration's
        CREATE OR REPLACE in order)."""
        con = self.duck.cursor()
        try:
            con.execute(SEARCH_PATH)
            self._macros(con, files=files)
        finally:
            con.close()
        self.macros_loaded = True
        conn = self.connect()
        try:  # which of them PostgreSQL has as functions of its own (queries/migrations/pg/025_*)
            with conn.cursor() as cur:
                cur.execute("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
                self.pg_functions = {r[0].lower() for r in cur.fetchall()}
            conn.commit()
        finally:
            self.release(conn)

    def duckdb_only_macros(self) -> set[str]:
        """The macros PostgreSQL has no function for: the table macros (complaints_filtered,
        inbox_of), and every macro on a store not yet migrated to 025."""
        return self.macro_names - self.pg_functions

    def columns(self, cur, table: str) -> dict[str, str]:
        """A table's columns and their PostgreSQL types (format_type), read once per process."""
        key = table.lower()
        if key not in self._columns:
            cur.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                        "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped", [key])
            found = {name.lower(): kind for name, kind in cur.fetchall()}
            with self._lock:
                self._columns[key] = found
        return self._columns[key]


def _uses_macro(sql: str, names: set[str]) -> bool:
    body = re.sub(r"--[^\n]*", "", sql).strip()
    if not re.match(r"(SELECT|WITH)\b", body, re.I):
        return False
    return any(re.search(rf"\b{re.escape(n)}\s*\(", body, re.I) for n in names)


class _Rows:
    """A DuckDB result, read at once, shaped like the psycopg cursor NativeTx uses."""

    def __init__(self, res):
        self.description = res.description
        self._rows = res.fetchall()

    def fetchall(self):
        return self._rows


_TARGET = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE)\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|TABLE)\b|\bRETURNING\b", re.I)


def _gives_rows(sql: str) -> bool:
    """Whether a statement can answer rows: a query, or a write with RETURNING. An INSERT, UPDATE
    or DELETE without RETURNING answers none, whatever happens: its answer need not be waited for."""
    return bool(_ROWS.search(re.sub(r"--[^\n]*", "", sql)))


class NativeTx(TxReads):
    """csm.db.Tx on a native PostgreSQL connection: the same named statements and results (a
    statement's PostgreSQL twin `<name>.pg` when it has one, as Database.df/rows pick it).

    Pipelined (psycopg's pipeline mode; `transaction` opens it): a statement that answers no rows
    (an INSERT / UPDATE / DELETE without RETURNING) is sent without waiting for its answer; the
    next statement whose rows are read, or the COMMIT, waits for all of them in one round trip.
    BEGIN, the zone and the first read go together; COMMIT and the shared versions' move too
    (commit). A write's error (a constraint, a conflict) is raised at that next wait instead of at
    its own line — still inside the transaction, which is rolled back and retried or reported as
    before. COPY (load) cannot be pipelined: the pipeline is closed (its statements answered)
    before it and opened again after."""

    def __init__(self, conn, queries, bind, db=None):
        self.conn = conn
        self.cur = conn.cursor()
        self._queries, self._bind, self._db = queries, bind, db
        self._pipe = None  # the open pipeline's context (conn.pipeline()), or None
        self._pipeline = None  # its psycopg Pipeline

    # ---- the pipeline ----------------------------------------------------------------------
    def pipeline(self) -> None:
        if self._pipe is None:
            self._pipe = self.conn.pipeline()
            self._pipeline = self._pipe.__enter__()

    def unpipeline(self) -> None:
        """Closes the pipeline: every statement sent is answered (an error of one is raised)."""
        pipe, self._pipe, self._pipeline = self._pipe, None, None
        if pipe is not None:
            pipe.__exit__(None, None, None)

    def abandon(self) -> None:
        """After an error: the pipeline closed without raising again (the caller rolls back)."""
        try:
            self.unpipeline()
        except Exception:  # noqa: BLE001 (the error the caller handles was raised already)
            pass

    def begin(self, timezone: str) -> None:
        """BEGIN and the company's zone, sent together with the transaction's first statement."""
        self.cur.execute("BEGIN")
        self.cur.execute("SELECT set_config('TimeZone', %s, true)", [timezone])

    def commit(self, engine: Engine, reference: bool) -> None:
        """COMMIT, then the shared versions' move (Engine.changed's statement) in the same round
        trip: PostgreSQL runs a pipeline's statements in order, so the versions move only after the
        commit is durable — and not at all if it failed (an error skips the rest of the pipeline)."""
        self.cur.execute("COMMIT")
        self.cur.execute(engine.CHANGED_SQL[reference])
        self.unpipeline()  # the one wait: every statement sent, the commit, the versions
        data, ref = self.cur.fetchone()
        engine.saw(data, ref)

    # ---- statements ------------------------------------------------------------------------
    def _sql(self, name: str) -> str:
        twin = f"{name}.pg"
        return self._queries()[twin] if twin in self._queries() else self._queries()[name]

    def _run(self, name: str, params: dict[str, Any] | None, wait: bool = True):
        sql = self._sql(name)
        if self._db is not None and _uses_macro(sql, self._db.engine.duckdb_only_macros()):
            # a SELECT over a macro PostgreSQL has no function for (a table macro: only reads use
            # them, docs/storage.md slice 2): read through DuckDB — committed data, not this
            # transaction's own writes. The scalar macros are PostgreSQL functions since migration
            # 025 (queries/migrations/pg/025_pg_functions.sql): their SELECTs run here, natively.
            cur = self._db.cursor()
            try:
                return _Rows(cur.execute(sql, self._bind(sql, params, name)))
            finally:
                cur.close()
        bound = self._bind(sql, params, name)
        self.cur.execute(native_sql(sql), bound)
        if self._pipeline is not None and (wait or _gives_rows(sql)):
            self._pipeline.sync()  # its answer (and those of the statements sent before it)
        return self.cur

    def execute(self, name: str, params: dict[str, Any] | None = None) -> list[tuple]:
        cur = self._run(name, params, wait=False)
        if self._pipeline is not None and not _gives_rows(self._sql(name)):
            return []  # only sent: answered at the next wait, and it has no rows to give anyway
        return cur.fetchall() if cur.description else []

    def load(self, name: str, frame) -> None:
        """Tx.load on PostgreSQL: the frame COPYed into a temporary table `staged` on this
        connection (dropped again after the statement), then the named INSERT/UPDATE … FROM
        staged natively, in this transaction. A staged column takes the type of the statement's
        target table's column of the same name (what it is written into: an integer column of
        pandas floats, a column of NULLs), else one read from its values."""
        from psycopg import sql as pgsql

        piped = self._pipe is not None
        self.unpipeline()  # COPY is not allowed in pipeline mode
        stmt = self._sql(name)
        target = _TARGET.match(re.sub(r"--[^\n]*", "", stmt))
        known = self._db.engine.columns(self.cur, target.group(1)) if target and self._db is not None else {}
        names = [str(c) for c in frame.columns]
        types = [known.get(c.lower()) or _value_type(frame[c]) for c in frame.columns]
        self.cur.execute("DROP TABLE IF EXISTS pg_temp.staged")
        self.cur.execute(pgsql.SQL("CREATE TEMP TABLE staged ({}) ON COMMIT DROP").format(pgsql.SQL(", ").join(
            pgsql.SQL("{} {}").format(pgsql.Identifier(n), pgsql.SQL(t)) for n, t in zip(names, types, strict=True))))
        convert = [_converter(t) for t in types]
        with self.cur.copy(pgsql.SQL("COPY staged ({}) FROM STDIN").format(
                pgsql.SQL(", ").join(pgsql.Identifier(n) for n in names))) as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([f(v) for f, v in zip(convert, row, strict=True)])
        self.cur.execute(native_sql(stmt), {})
        self.cur.execute("DROP TABLE pg_temp.staged")
        if piped:
            self.pipeline()

    def rows(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        cur = self._run(name, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=False)) for r in cur.fetchall()]


_INTEGERS = ("smallint", "integer", "bigint")


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):  # a list, an array: not a missing scalar
        return False


def _plain(v):
    """A pandas/numpy cell as the Python value psycopg writes (NaN / NaT / NA → NULL)."""
    if _missing(v):
        return None
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        return v.item()
    return v


def _converter(pg_type: str):
    if pg_type in _INTEGERS:
        def to_int(v):
            v = _plain(v)
            return int(v) if isinstance(v, float) and v.is_integer() else v
        return to_int
    if pg_type in ("text", "character varying") or pg_type.startswith("character varying"):
        def to_text(v):
            v = _plain(v)
            return v if v is None or isinstance(v, str) else str(v)
        return to_text
    return _plain


def _value_type(values) -> str:
    """A staged column's type from its values (no column of that name in the target table)."""
    import datetime as dt

    kind = str(values.dtype)
    if kind.startswith("datetime64"):
        return "timestamptz" if "," in kind or "UTC" in kind else "timestamp"
    if kind == "bool":
        return "boolean"
    if kind.startswith(("int", "Int", "uint", "UInt")):
        return "bigint"
    if kind.startswith(("float", "Float")):
        return "double precision"
    for v in values:
        v = _plain(v)
        if v is None:
            continue
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, int):
            return "bigint"
        if isinstance(v, float):
            return "double precision"
        if isinstance(v, dt.datetime):
            return "timestamptz" if v.tzinfo is not None else "timestamp"
        if isinstance(v, dt.date):
            return "date"
        return "text"
    return "text"


def transaction(db, work, retries: int, reference: bool = True):
    """Database.transaction on PostgreSQL: work(tx) in one native READ COMMITTED transaction in
    the company's zone; a serialization failure or deadlock is retried like DuckDB's conflict.

    Pipelined (NativeTx): BEGIN and the zone go with the first statement, the writes that answer
    no rows go with the next read or the COMMIT, and the COMMIT with the shared versions' move — a
    filing takes three round trips instead of ten, and holds the year's counter row (locked from
    codes_take_many to the commit) for two instead of five. The connection is in autocommit mode
    for it, so that psycopg sends no BEGIN of its own (a round trip alone): the transaction is
    the explicit BEGIN … COMMIT, as durable as before (synchronous_commit untouched)."""
    import logging
    import random
    import time

    from csm.db import bind, queries
    from csm.errors import UserError

    engine = db.engine
    for attempt in range(retries + 1):
        conn = engine.connect()
        tx = None
        try:
            conn.autocommit = True
            tx = NativeTx(conn, queries, bind, db)
            tx.pipeline()
            tx.begin(db.timezone)
            result = work(tx)
            tx.commit(engine, reference)
            return result
        except Exception as exc:
            if tx is not None:
                tx.abandon()
            try:
                conn.rollback()
            except engine._psycopg.Error:
                pass
            if isinstance(exc, UserError) or not engine.is_conflict(exc):
                raise
            if attempt == retries:
                logging.getLogger("csm.db").warning("transaction conflict after %s tries: %s", attempt + 1, exc)
                raise UserError("error.busy") from exc
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
        finally:
            if tx is not None and tx._pipe is not None:  # interrupted (not an Exception): the connection goes
                conn.close()
            engine.release(conn)
    raise AssertionError("unreachable")


# PostgreSQL's own messages for a conflict, as DuckDB's postgres extension passes them on inside a
# duckdb.Error ("Failed to execute query …: ERROR:  could not serialize access due to concurrent
# update"): its transactions are REPEATABLE READ, so a row another process changed meanwhile fails
SCANNER_CONFLICTS = ("could not serialize access", "deadlock detected", "could not obtain lock")


def is_error(exc: Exception, kind: str) -> bool:
    """For csm.db.is_conflict / is_constraint_violation: a psycopg error of that kind, or (a
    conflict) PostgreSQL's message for one inside an error of DuckDB's postgres extension."""
    if kind == "conflict" and type(exc).__module__.startswith("_duckdb"):
        return any(m in str(exc) for m in SCANNER_CONFLICTS)
    if not type(exc).__module__.startswith("psycopg"):
        return False
    import psycopg

    if kind == "constraint":
        return isinstance(exc, psycopg.errors.IntegrityError)
    return isinstance(exc, (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected,
                            psycopg.errors.LockNotAvailable))
