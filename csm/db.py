"""The one owner of DuckDB: connection, named queries, transactions with retry, migrations."""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from csm import config
from csm.errors import UserError
from csm.storage import pg as _pg
from csm.storage.tx import TxReads

log = logging.getLogger(__name__)

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_RETRIES = 8


class QueryNotFound(KeyError):
    pass


class DatabaseInUse(RuntimeError):
    """Another process holds the database file (DuckDB lets one process open it for writing):
    the serving app, or another command. `pid` is the holder's, when the engine names it."""

    def __init__(self, path: str, pid: int | None):
        super().__init__(f"database {path} is held by process {pid}")
        self.path, self.pid = path, pid


class Queries:
    """Named SQL statements, one statement per file: queries/<capability>/<name>.sql is called
    "<capability>/<name>" (e.g. "complaints/worklist"). Migrations are not queries."""

    def __init__(self, root: Path = config.QUERIES_DIR):
        self._sql: dict[str, str] = {}
        for path in sorted(root.rglob("*.sql")):
            rel = path.relative_to(root)
            if rel.parts[0] == "migrations":
                continue
            self._sql[rel.with_suffix("").as_posix()] = path.read_text(encoding="utf-8")

    def __getitem__(self, name: str) -> str:
        try:
            return self._sql[name]
        except KeyError:
            raise QueryNotFound(name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._sql

    def names(self) -> list[str]:
        return sorted(self._sql)


_QUERIES: Queries | None = None


def queries() -> Queries:
    global _QUERIES
    if _QUERIES is None:
        _QUERIES = Queries()
    return _QUERIES


def bind(sql: str, params: dict[str, Any] | None, name: str | None = None,
         strict: bool | None = None) -> dict[str, Any]:
    """Exactly the parameters the statement names. A missing one is a KeyError, and so is an
    unknown one (a filter the statement ignores must not be dropped without a word), unless
    `strict=False` or CSM_STRICT_PARAMS=0 (an escape hatch for an operator, not for code)."""
    wanted = set(_PARAM.findall(_strip_comments(sql)))
    params = params or {}
    what = f" of {name}" if name else ""
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"missing query parameters{what}: {sorted(missing)}")
    if strict if strict is not None else config.strict_params():
        unknown = params.keys() - wanted
        if unknown:
            raise KeyError(f"unknown query parameters{what}: {sorted(unknown)} "
                           f"(the statement takes {sorted(wanted) or 'none'})")
    return {k: params[k] for k in wanted}


def query_parameters(name: str) -> set[str]:
    """The parameters a named statement takes (for a generic writer whose record has more fields
    than one statement uses, e.g. an admin grid row: it picks these deliberately)."""
    return set(_PARAM.findall(_strip_comments(queries()[name])))


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def is_constraint_violation(exc: Exception) -> bool:
    """A unique/primary-key or check constraint refused the write."""
    return isinstance(exc, duckdb.ConstraintException) or _pg.is_error(exc, "constraint")


def is_conflict(exc: Exception) -> bool:
    return (isinstance(exc, duckdb.TransactionException) or "conflict" in str(exc).lower()
            or _pg.is_error(exc, "conflict"))


def nulls_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """SQL NULL in text columns as None, as db.one gives it. pandas' string dtype turns NULL into
    NaN, which is truthy: `row["result"] or ""` gave the text "nan" in a form, saved it and
    exported it."""
    for col in frame.columns:
        values = frame[col]
        if isinstance(values.dtype, pd.StringDtype):
            missing = values.isna()
            if missing.any():  # most columns have no NULL: leave them as they are
                frame[col] = values.astype(object).where(~missing, None)
    return frame


_VERSIONS: dict[str, int] = {}  # database file -> its data version (Database.version)
_REFERENCE_VERSIONS: dict[str, int] = {}  # database file -> its reference data version (reference_cache)
_VERSIONS_LOCK = threading.Lock()  # one lock for every handle of a file: no increment is lost


class Database:
    """A DuckDB file opened once per process; every call works on its own cursor."""

    def __init__(self, path: str | None = None, read_only: bool = False):
        self.path = path or config.db_url() or config.db_path()
        self.engine = _pg.Engine(self.path) if _pg.is_url(self.path) else None  # pg: the shared store
        if self.engine is not None:
            self._conn = self.engine.duck
        elif self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            if self.engine is None:
                limit = config.db_memory_limit()
                # jemalloc's purging in background threads, and a flush after any task that peaked
                # above 32 MB (DuckDB's default 128 MB): memory a dashboard's aggregate or an
                # escalation run used goes back to the system instead of staying in the process
                settings = {"allocator_background_threads": True, "allocator_flush_threshold": "32MB"}
                self._conn = duckdb.connect(self.path, read_only=read_only,
                                            config=settings if limit in ("", "0") else {**settings, "memory_limit": limit})
        except duckdb.IOException as exc:  # ops: the one clear line of the CLI, not a traceback
            if "lock" not in str(exc).lower():
                raise
            held = re.search(r"PID (\d+)", str(exc))
            raise DatabaseInUse(self.path, int(held.group(1)) if held else None) from None
        self._lock = threading.Lock()
        from csm.actor import DEFAULT_TZ  # here: csm.actor imports csm.org.scope, which imports this module

        self.timezone = DEFAULT_TZ  # until open_database reads the company's `timezone` setting
        _VERSIONS.setdefault(self.path, 0)  # the data version (below), shared by this file's handles

        self._groups: dict[str, GroupCommit] = {}  # group commits by kind of write (group_commit)
        # committed transactions that may have changed reference data (all but those run with
        # reference=False, e.g. filings), through any handle of this file: the key of the
        # reference reads cached in-process (reference_cache)
        _REFERENCE_VERSIONS.setdefault(self.path, 0)
        self._reference: tuple[int, dict] = (0, {})

    @property
    def version(self) -> int:
        """Committed write transactions on this file in this process, through any of its handles
        (the server's, a test's, a second one opened after the caches were cleared): the key of
        cached reads (csm.web.cache), never reset, so an old key cannot come back. On PostgreSQL
        every process's commits, seen at most Engine.VERSION_SECONDS late (a shared sequence)."""
        if self.engine is not None:
            return self.engine.versions()[0]
        return _VERSIONS[self.path]

    @property
    def reference_version(self) -> int:
        if self.engine is not None:
            return self.engine.versions()[1]
        return _REFERENCE_VERSIONS[self.path]

    def count_commit(self, reference: bool = False) -> None:
        """A write transaction committed on the DuckDB file: the next cached read is a new one, and
        with `reference` the reference reads too. Under one lock for all handles of the file: two
        handles committing at once each move the version (a lost increment would let a read cached
        between them stand). (PostgreSQL moves shared sequences instead: Engine.changed.)"""
        with _VERSIONS_LOCK:
            _VERSIONS[self.path] += 1
            if reference:
                _REFERENCE_VERSIONS[self.path] += 1

    def close(self) -> None:
        (self.engine or self._conn).close()

    def memory_bytes(self) -> dict[str, int]:
        """What DuckDB's buffer manager holds now by tag (duckdb_memory(): BASE_TABLE = cached blocks
        of the file, HASH_TABLE / ORDER_BY … = the working memory of running statements), bounded
        by config.db_memory_limit()."""
        cur = self.cursor()
        try:
            return {tag: int(n) for tag, n in cur.execute(
                "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0").fetchall()}
        finally:
            cur.close()

    def checkpoint(self) -> None:
        """Write everything committed into the database file (before it is copied: backup, bench)."""
        cur = self.cursor()
        try:
            cur.execute("CHECKPOINT")
        finally:
            cur.close()

    # ---- ops: the online backup (csm/ops/backup.py) ------------------------------------------
    def copy_to(self, target: str) -> None:
        """A consistent copy of the whole database (tables, sequences, macros, views) into a new
        file, while other cursors go on writing: ATTACH + COPY FROM DATABASE is one statement,
        hence one snapshot (tests/test_ops_backup.py checks it under concurrent filings)."""
        if Path(target).exists():
            raise FileExistsError(target)  # into a new file only: never merged into another database
        cur = self.cursor()
        try:
            name = cur.execute("SELECT current_database()").fetchone()[0]
            cur.execute(f"ATTACH '{_quoted(target)}' AS csm_backup")
            try:
                cur.execute(f'COPY FROM DATABASE "{name}" TO csm_backup')
            except Exception:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
            finally:
                cur.execute("DETACH csm_backup")
        finally:
            cur.close()

    def table_fingerprints(self) -> dict[str, dict[str, Any]]:
        """Per table of the main schema: its row count and a checksum (the sum of each row's
        hash: independent of row order, changed by any value). What a backup's manifest holds."""
        cur = self.cursor()
        try:
            tables = [r[0] for r in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY table_name").fetchall()]
            out = {}
            for table in tables:
                n, total = cur.execute(f'SELECT count(*), coalesce(sum(hash(r)), 0)::VARCHAR '
                                       f'FROM main."{table}" AS r').fetchone()
                out[table] = {"rows": int(n), "checksum": total}
            return out
        finally:
            cur.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            cur = self._conn.cursor()
        cur.execute(f"SET TimeZone = '{self.timezone}'")
        if self.engine is not None:
            cur.execute(_pg.SEARCH_PATH)  # pg's tables, then the macros in memory
        return cur

    def set_timezone(self, tz: str) -> None:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)  # refuse names that are not zones before they reach SQL
        self.timezone = tz

    # ---- reads -------------------------------------------------------------------------
    def df(self, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        sql = queries()[name]
        if self.engine is not None and (twin := self.engine.twin(name)) is not None:
            cols, rows = self.engine.read(twin, bind(twin, params, name), self.timezone)
            return nulls_as_none(pd.DataFrame.from_records(rows, columns=cols))
        cur = self.cursor()
        try:
            return nulls_as_none(cur.execute(sql, bind(sql, params, name)).df())
        finally:
            cur.close()

    def rows(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        sql = queries()[name]
        if self.engine is not None and (twin := self.engine.twin(name)) is not None:
            cols, rows = self.engine.read(twin, bind(twin, params, name), self.timezone)
            return [dict(zip(cols, r, strict=False)) for r in rows]
        cur = self.cursor()
        try:
            res = cur.execute(sql, bind(sql, params, name))
            cols = [d[0] for d in res.description]
            return [dict(zip(cols, r, strict=False)) for r in res.fetchall()]
        finally:
            cur.close()

    def one(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        rows = self.rows(name, params)
        return rows[0] if rows else None

    def value(self, name: str, params: dict[str, Any] | None = None) -> Any:
        row = self.one(name, params)
        return None if row is None else next(iter(row.values()))

    def bookkeeping(self, name: str, params: dict[str, Any] | None = None) -> None:
        """One statement that no screen's figures depend on (a session's last-seen time), committed
        on its own and leaving the data version alone: counting it would empty every cached read
        (csm.web.cache) each time a session is touched. A write conflict drops it (done next time)."""
        sql = queries()[name]
        cur = self.cursor()
        try:
            cur.execute(sql, bind(sql, params, name))
        except duckdb.Error as exc:
            if not is_conflict(exc):
                raise
            log.info("bookkeeping %s skipped: a concurrent write", name)
        finally:
            cur.close()

    # ---- writes ------------------------------------------------------------------------
    def transaction(self, work: Callable[[Tx], Any], retries: int = _RETRIES, reference: bool = True) -> Any:
        """Run work(tx) in one transaction; a write-write conflict is retried, then reported.
        `reference=False` declares that the work changes no reference data (projects, units,
        channels, categories, limits, calendars, settings, users…), only its own records (a
        filing: complaints, their history, audit, attachments, notices, code counters): the
        reference reads cached by reference_cache() stay valid after it. On PostgreSQL both versions
        are every process's (Engine.versions): a change in another process is seen here too."""
        if self.engine is not None:  # the engine moves the versions every process shares
            return _pg.transaction(self, work, retries, reference)
        for attempt in range(retries + 1):
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(Tx(cur))
                cur.execute("COMMIT")
                self.count_commit(reference)
                return result
            except Exception as exc:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                if isinstance(exc, UserError) or not is_conflict(exc):
                    raise
                if attempt == retries:
                    log.warning("transaction conflict after %s tries: %s", attempt + 1, exc)
                    raise UserError("error.busy") from exc
                time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))  # jitter: no lock-step retries
            finally:
                cur.close()
        raise AssertionError("unreachable")

    def execute(self, name: str, params: dict[str, Any] | None = None) -> Any:
        return self.transaction(lambda tx: tx.execute(name, params))

    def reference_cache(self) -> dict:
        """A dict for reads of reference data, kept until a transaction that may change reference
        data commits (reference_version). Take it BEFORE the transaction that fills it begins: a
        value read in a snapshot older than a reference change then lands in a dict already
        discarded, never in the new one."""
        with self._lock:
            if self._reference[0] != self.reference_version:
                self._reference = (self.reference_version, {})
            return self._reference[1]

    def group_commit(self, name: str, write_many: Callable[[Tx, list, dict], list],
                     reference: bool = True) -> GroupCommit:
        """The one GroupCommit of this database for a kind of write (e.g. filing a complaint)."""
        with self._lock:
            if name not in self._groups:
                self._groups[name] = GroupCommit(self, write_many, reference)
            return self._groups[name]


class GroupCommit:
    """Concurrent writes of one kind share their transactions (group commit). A caller hands its
    item to `submit` and waits; whoever finds nobody committing becomes the committer: it takes
    every item waiting (in the order they came), writes them in ONE transaction with
    `write_many(tx, items)`, which returns one outcome per item (its result, or the exception
    instance that refuses that item alone, e.g. ValidationFailed), and wakes each caller with its
    own outcome; then the longest-waiting caller commits the items that came meanwhile. No thread
    of its own (works the same in the app, under AppTest and in the CLI), nothing waits for a
    timer: one writer alone commits at once. A caller is told its result only after the commit.
    If the shared transaction fails (a constraint, a conflict retried in vain, any error), each
    item is written again on its own, so each caller gets its own error and nobody loses a write
    because another's failed. `write_many` must not commit, and must write nothing for an item
    whose outcome is an exception. Its third argument is the database's reference_cache(), taken
    before the transaction began; `reference` is passed to Database.transaction.

    Lingering (as PostgreSQL's commit_delay with commit_siblings): a committer (the first to come,
    or the one handed over to) that starts right after a shared transaction of several writers
    ended (within LINGER_AFTER) waits up to LINGER until as many writers are pending, so that
    their next writes share one transaction too. Without it a burst alternates a transaction of
    one (the first writer back) with one of all the others, and each writer waits for two commits
    (20 writers: p95 67 ms, with it 35 ms; docs/performance.md). A writer alone, or the first
    after a quiet moment, never waits."""

    MAX_BATCH = 64
    LINGER = 0.004        # seconds a new committer waits at most for the last batch's writers
    LINGER_AFTER = 0.002  # ... if it came within this long after that batch's commit

    def __init__(self, db: Database, write_many: Callable[[Tx, list, dict], list], reference: bool = True):
        self._db, self._write_many, self._reference = db, write_many, reference
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)  # a new item is pending (the lingering committer)
        self._pending: list[_Slot] = []
        self._committing = False
        self._last = (0, 0.0)  # (items, time.monotonic() at its end) of the last shared transaction
        self.batches = 0  # transactions committed with more than one item (tests, the benchmark)

    def submit(self, item: Any) -> Any:
        slot = _Slot(item)
        with self._lock:
            self._pending.append(slot)
            self._arrived.notify()
            lead = not self._committing
            self._committing = True
        if not lead:
            slot.event.wait()
            if slot.done:
                return slot.result()
        try:  # this caller commits (it came first, or the previous committer handed over to it)
            while not slot.done:
                with self._lock:
                    self._linger()
                    batch = self._pending[:self.MAX_BATCH]
                    del self._pending[:self.MAX_BATCH]
                self._commit(batch, slot)
        finally:
            with self._lock:
                if slot in self._pending:  # interrupted before its own turn: it is not written
                    self._pending.remove(slot)
                nxt = self._pending[0] if self._pending else None
                self._committing = nxt is not None
            if nxt is not None:
                nxt.event.set()  # not done: it commits the next batch
        return slot.result()

    def _linger(self) -> None:
        """(Under the lock.) Waits for the last batch's writers to come back, if it was a shared
        one that just ended: until they are pending besides those who came during it, or LINGER
        has passed."""
        size, ended = self._last
        now = time.monotonic()
        if size < 2 or now - ended > self.LINGER_AFTER:
            return
        # that batch's writers were all blocked in it: those already pending came during it, besides them
        wanted = min(size + sum(1 for s in self._pending if s.came < ended), self.MAX_BATCH)
        deadline = now + self.LINGER
        while len(self._pending) < wanted and (left := deadline - time.monotonic()) > 0:
            self._arrived.wait(left)

    def _commit(self, batch: list[_Slot], mine: _Slot) -> None:
        try:
            try:
                outcomes = self._write(s.item for s in batch)
                if len(batch) > 1:
                    self.batches += 1
            except Exception as exc:
                if len(batch) == 1:
                    outcomes = [exc]
                else:  # one by one: each caller gets its own outcome, the others are written
                    log.info("group commit of %s failed (%s): writing them one by one", len(batch), exc)
                    outcomes = [self._alone(s.item) for s in batch]
        except BaseException:
            with self._lock:  # interrupted (not an error of the items): the others wait for the next committer
                self._pending[:0] = [s for s in batch if s is not mine and not s.done]
            raise
        if len(outcomes) != len(batch):  # a broken write_many must not leave its callers waiting
            outcomes = [RuntimeError(f"write_many gave {len(outcomes)} outcomes for {len(batch)} items")] * len(batch)
        with self._lock:
            self._last = (len(batch), time.monotonic())
        for s, outcome in zip(batch, outcomes, strict=True):
            s.outcome, s.done = outcome, True
            if s is not mine:
                s.event.set()

    def _write(self, items) -> list:
        items, cache = list(items), self._db.reference_cache()
        return self._db.transaction(lambda tx: self._write_many(tx, items, cache), reference=self._reference)

    def _alone(self, item: Any) -> Any:
        try:
            return self._write([item])[0]
        except Exception as exc:
            return exc


class _Slot:
    __slots__ = ("item", "event", "outcome", "done", "came")

    def __init__(self, item: Any):
        self.item, self.event, self.outcome, self.done = item, threading.Event(), None, False
        self.came = time.monotonic()

    def result(self) -> Any:
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


class Tx(TxReads):
    """The handle a write command gets inside a transaction (one/value: TxReads, shared with
    csm.storage.pg.NativeTx, its PostgreSQL twin)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self.cur = cur

    def execute(self, name: str, params: dict[str, Any] | None = None) -> list[tuple]:
        sql = queries()[name]
        res = self.cur.execute(sql, bind(sql, params, name))
        try:
            return res.fetchall()
        except duckdb.InvalidInputException:
            return []

    def load(self, name: str, frame: pd.DataFrame) -> None:
        """Bulk-load a DataFrame through a named INSERT ... SELECT FROM staged."""
        self.cur.register("staged", frame)
        try:
            self.cur.execute(queries()[name])
        finally:
            self.cur.unregister("staged")

    def rows(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        sql = queries()[name]
        res = self.cur.execute(sql, bind(sql, params, name))
        cols = [d[0] for d in res.description]
        return [dict(zip(cols, r, strict=False)) for r in res.fetchall()]


# ---- migrations ----------------------------------------------------------------------------
def migration_files(root: Path = config.MIGRATIONS_DIR) -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(root.glob("*.sql")):
        m = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if not m:
            raise RuntimeError(f"migration name must be NNN_name.sql: {path.name}")
        found.append((int(m.group(1)), m.group(2), path))
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def migrate(db: Database, root: Path = config.MIGRATIONS_DIR) -> list[int]:
    """Apply pending migrations in order, each in its own transaction; return those applied."""
    if db.engine is not None:
        return db.engine.migrate(migration_files(root))
    cur = db.cursor()
    try:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in cur.execute("SELECT version FROM schema_version").fetchall()}
        applied = []
        for version, name, path in migration_files(root):
            if version in done:
                continue
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(path.read_text(encoding="utf-8"))
                cur.execute(
                    "INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name]
                )
                cur.execute("COMMIT")
            except Exception:
                cur.execute("ROLLBACK")
                log.exception("migration %s failed; database left as it was", path.name)
                raise
            applied.append(version)
        return applied
    finally:
        cur.close()


def open_database(path: str | None = None) -> Database:
    """Open (creating if needed) and migrate; apply the company's time zone."""
    db = Database(path)
    migrate(db)
    # complaint numbers a killed process took but never filed go back to the year's pool, before
    # this process files anything (csm/complaints/steps.py take_numbers: codes stay gap-free)
    if db.engine is None:  # pg: not at a process start while others file; init and every escalation
        # run hand back the numbers older than an age instead (csm.ops.service.return_code_gaps)
        db.execute("complaints/code_gaps_return")
    tz = db.value("core/setting_get", {"key": "timezone"})
    if tz:
        db.set_timezone(tz)
    return db


@contextmanager
def opened(path: str | None = None) -> Iterator[Database]:
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()
