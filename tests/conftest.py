"""Fixtures: a real DuckDB file with the tiny demo data, built once per session and copied per test.

With CSM_TEST_ENGINE=postgres (`make test-pg`, docs/storage.md "Slice 2") the same `db` and
`db_path` fixtures give a fresh PostgreSQL database per test instead: a clone of a template
database that holds the same tiny demo (tests/pg_helpers.py), dropped after the test; `db_path`
is then that database's URL (CSM_DB_URL points at it for the app and the CLI). A test that cannot
run there for a real reason carries `@pytest.mark.duckdb_only("why")` and is skipped with it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csm.db import Database, open_database
from csm.i18n import set_lang
from tests import pg_helpers
from tools import demo

ROOT = Path(__file__).resolve().parent.parent
# The tiny demo's activity ends here, so that tests working in October-November 2026 start clean.
DEMO_ANCHOR = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    db = open_database(str(path))
    demo.generate(db, size="tiny", seed=7, anchor=DEMO_ANCHOR)
    db.checkpoint()
    db.close()
    return path


ENGINE = pg_helpers.engine()


def pytest_configure(config):
    config.addinivalue_line("markers", "duckdb_only(reason): a test that needs the DuckDB file itself "
                                       "(skipped with its reason under CSM_TEST_ENGINE=postgres)")


def pytest_collection_modifyitems(config, items):
    if ENGINE != "postgres":
        return
    for item in items:
        mark = item.get_closest_marker("duckdb_only")
        if mark is not None:
            reason = mark.args[0] if mark.args else mark.kwargs.get("reason", "needs the DuckDB file")
            item.add_marker(pytest.mark.skip(reason=f"DuckDB only: {reason}"))


@pytest.fixture(scope="session")
def pg_clones(demo_db_file, pg_server, tmp_path_factory):
    """The tiny demo in a PostgreSQL template database, once per session, and its clones made
    ahead (CSM_TEST_ENGINE=postgres); all dropped at the session's end."""
    name = pg_helpers.template_database(pg_server, demo_db_file, tmp_path_factory.mktemp("pgtpl"))
    clones = pg_helpers.Clones(pg_server, name)
    yield clones
    clones.close()
    pg_helpers.drop_database(f"{pg_server.rsplit('/', 1)[0]}/{name}", pg_server)


@pytest.fixture
def db_path(request, tmp_path, monkeypatch) -> str:
    """A private copy of the demo database; CSM_DB_PATH points at it for the app. On
    CSM_TEST_ENGINE=postgres: the URL of a fresh clone of the template, CSM_DB_URL set to it."""
    monkeypatch.setenv("CSM_COOKIE_KEY", "test-cookie-key-that-is-long-enough-for-hs256")
    monkeypatch.setenv("CSM_LOGIN_SLEEP", "0")
    if ENGINE == "postgres":
        clones = request.getfixturevalue("pg_clones")
        url = clones.take()
        monkeypatch.setenv("CSM_DB_PATH", str(tmp_path / "unused.duckdb"))  # never opened: the URL wins
        monkeypatch.setenv("CSM_DB_URL", url)
        yield url
        clones.give_back(url)
        return
    path = tmp_path / "csm.duckdb"
    shutil.copyfile(request.getfixturevalue("demo_db_file"), path)
    monkeypatch.setenv("CSM_DB_PATH", str(path))
    yield str(path)


@pytest.fixture
def db(db_path) -> Database:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def chinese_by_default():
    set_lang("zh")
    yield
    set_lang("zh")


def project_id(db: Database, code: str) -> int:
    return db.one("org/project_by_code", {"code": code})["id"]


def branch_id(db: Database, code: str) -> int:
    return db.one("org/branch_by_code", {"code": code})["id"]


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the browser tests of this test process."""
    from tests import browser_helpers as bh

    with bh.chromium() as chromium:
        yield chromium


def calendar_time(db: Database) -> None:
    """Every branch's working calendar off: limits count calendar time (for tests of the limits
    themselves; since migration 013 a branch counts working days unless turned off)."""
    db.transaction(lambda tx: tx.cur.execute(
        "INSERT INTO work_calendars (branch_id, enabled) SELECT id, FALSE FROM branches "
        "ON CONFLICT (branch_id) DO UPDATE SET enabled = FALSE"))


def actor(db: Database, username: str):
    """The Actor of a demo user (commands and reads take an Actor, tests/test_complaints.py)."""
    from csm.actor import Actor
    from csm.org import users

    return Actor.of(users.get(db, username), tz=db.timezone)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """A running PostgreSQL's URL (tests/pg_helpers.py), once per session."""
    from tests.pg_helpers import server_url

    return server_url()


@pytest.fixture
def pg_url(pg_server):
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    from tests.pg_helpers import drop_database, new_database

    url = new_database(pg_server)
    yield url
    drop_database(url, pg_server)
