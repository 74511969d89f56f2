"""The data layer: migrations, named queries, transactions and conflicts on a real DuckDB file."""

from __future__ import annotations

import threading

import duckdb
import pytest

from csm import db as dbmod
from csm.db import Database, migrate, migration_files, open_database
from csm.errors import UserError


def test_migrations_from_empty_and_rerun(tmp_path):
    path = str(tmp_path / "fresh.duckdb")
    database = Database(path)
    applied = migrate(database)
    assert applied == [v for v, _, _ in migration_files()]
    assert migrate(database) == []  # re-run applies nothing
    cur = database.cursor()
    versions = [r[0] for r in cur.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert versions == applied
    # the default category tree of DOMAIN.md is there: 8 first-level, water supply under engineering
    assert cur.execute("SELECT count(*) FROM categories WHERE parent_id IS NULL").fetchone()[0] == 8
    parent = cur.execute(
        "SELECT p.name FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.name = '给水管'"
    ).fetchone()[0]
    assert parent == "工程"
    database.close()


def test_failed_migration_leaves_database_as_it_was(tmp_path):
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "001_ok.sql").write_text("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);")
    (mig / "002_bad.sql").write_text("CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")
    database = Database(str(tmp_path / "m.duckdb"))
    with pytest.raises(duckdb.Error):
        migrate(database, mig)
    cur = database.cursor()
    assert cur.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "a" in tables and "b" not in tables
    database.close()


def test_queries_have_header_comments_and_unique_names():
    qs = dbmod.queries()
    assert "org/residents" in qs
    for name in qs.names():
        assert qs[name].lstrip().startswith("--"), f"{name}.sql needs a header comment"
        assert "Params:" in qs[name], f"{name}.sql must say which parameters it takes"


def test_missing_parameter_is_an_error(db):
    with pytest.raises(KeyError):
        db.rows("org/residents", {"scope_kind": "group"})


def test_unknown_parameter_is_refused(db, monkeypatch):
    params = {"key": "timezone", "only_unsatisfied": True}  # a key the statement does not name
    monkeypatch.delenv("CSM_STRICT_PARAMS", raising=False)  # the default: refused
    for call in (lambda: db.value("core/setting_get", params), lambda: db.df("core/setting_get", params),
                 lambda: db.transaction(lambda tx: tx.value("core/setting_get", params)),
                 lambda: db.transaction(lambda tx: tx.execute("core/setting_get", params))):
        with pytest.raises(KeyError, match="unknown query parameters of core/setting_get: \\['only_unsatisfied'\\]"):
            call()
    assert db.value("core/setting_get", {"key": "timezone"}) == db.timezone  # exactly the named ones: fine
    with pytest.raises(KeyError, match="missing query parameters of core/setting_get"):
        db.value("core/setting_get", {})
    monkeypatch.setenv("CSM_STRICT_PARAMS", "0")  # the operator's escape hatch
    assert db.value("core/setting_get", params) == db.timezone


def test_bind_strict_argument_overrides_the_setting(monkeypatch):
    monkeypatch.setenv("CSM_STRICT_PARAMS", "0")
    assert dbmod.bind("SELECT $a -- $b is only a comment", {"a": 1, "b": 2}, strict=False) == {"a": 1}
    monkeypatch.delenv("CSM_STRICT_PARAMS")
    with pytest.raises(KeyError, match=r"unknown query parameters: \['b'\] \(the statement takes \['a'\]\)"):
        dbmod.bind("SELECT $a -- $b is only a comment", {"a": 1, "b": 2}, strict=True)


def test_parameters_are_bound_not_formatted(db):
    # a quote in a search text is data, not SQL
    rows = db.rows("org/residents", {"scope_kind": "group", "scope_id": -1,
                                      "q": "'; DROP TABLE residents; --", "project_id": None,
                                      "limit": 10})
    assert rows == []
    assert db.value("org/counts", {"scope_kind": "group", "scope_id": -1}) > 0


def test_conflicting_updates_from_two_threads_are_retried(db):
    """Two threads raise the same counter at once: both increments land (retry on conflict)."""
    start = threading.Barrier(2)

    def bump():
        def work(tx):
            start.wait(timeout=5) if not getattr(work, "waited", False) else None
            work.waited = True
            value = int(tx.value("core/setting_get", {"key": "lockout_attempts"}))
            tx.cur.execute("UPDATE settings SET value = ? WHERE key = 'lockout_attempts'", [str(value + 1)])

        db.transaction(work)

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert db.value("core/setting_get", {"key": "lockout_attempts"}) == "7"


def test_conflict_that_never_clears_is_reported_to_the_user(db, monkeypatch):
    def always_conflicts(tx):
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update")

    with pytest.raises(UserError) as err:
        db.transaction(always_conflicts, retries=2)
    assert err.value.key == "error.busy"
    assert "系统繁忙" in err.value.message()


def test_reopen_keeps_data(db_path):
    first = open_database(db_path)
    n = first.one("org/counts", {"scope_kind": "group", "scope_id": -1})["residents"]
    first.close()
    second = open_database(db_path)
    assert second.one("org/counts", {"scope_kind": "group", "scope_id": -1})["residents"] == n
    second.close()


def test_the_buffer_pool_is_bounded_by_the_setting(tmp_path, monkeypatch):
    """DuckDB's default buffer pool is 80 % of the machine: the serving process's memory would grow
    with every page's data read. CSM_DB_MEMORY bounds it (default 1 GB); 0 keeps DuckDB's default."""
    from csm.db import Database

    def limit() -> str:
        db = Database(str(tmp_path / "m.duckdb"))
        try:
            return db._conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        finally:
            db.close()

    monkeypatch.delenv("CSM_DB_MEMORY", raising=False)
    assert limit() == "953.6 MiB"  # 1 GB
    monkeypatch.setenv("CSM_DB_MEMORY", "512MB")
    assert limit() == "488.2 MiB"
    monkeypatch.setenv("CSM_DB_MEMORY", "0")
    assert limit() not in ("953.6 MiB", "488.2 MiB")
