"""A real PostgreSQL for the tests of the shared store (issue 14, docs/storage.md): CSM_TEST_PG_URL,
else tools/ci_postgres.sh starts Debian's PostgreSQL 15 and creates the test role. The fixtures
`pg_server` (the server's URL, once per session) and `pg_url` (a new empty database per test,
dropped afterwards) live in conftest.py; a test that needs PostgreSQL is marked `slow` and runs in
`make test-pg`, skipped only when PostgreSQL's binaries are absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def server_url() -> str:
    if os.environ.get("CSM_TEST_PG_URL"):
        return os.environ["CSM_TEST_PG_URL"]
    if shutil.which("pg_ctlcluster") is None or not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        pytest.skip("PostgreSQL is not installed here (no pg_ctlcluster / postgres binaries): "
                    "tools/ci_postgres.sh installs it, or set CSM_TEST_PG_URL")
    out = subprocess.run(["sh", str(ROOT / "tools" / "ci_postgres.sh")], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    return out.strip().splitlines()[-1].split("=", 1)[1]


# ---- the `db` fixture on PostgreSQL (CSM_TEST_ENGINE=postgres, docs/storage.md "Slice 2") ----
def engine() -> str:
    """The engine of the `db` fixture: CSM_TEST_ENGINE=postgres runs the command and read test
    files on a fresh PostgreSQL database per test (`make test-pg`); unset = the DuckDB file."""
    name = os.environ.get("CSM_TEST_ENGINE", "duckdb").strip().lower() or "duckdb"
    if name not in ("duckdb", "postgres"):
        raise pytest.UsageError(f"CSM_TEST_ENGINE={name!r}: duckdb or postgres")
    return name


def template_database(server: str, demo_file: Path, work: Path) -> str:
    """A PostgreSQL database holding the tiny demo, made once per test session: the product's
    migrations (open_database(url), as `csm init`), then every table of a copy of the demo's
    DuckDB file loaded by tools/bench_pg_load.py (parents first, sequences set past max(id)).
    Each test's database is a clone of it (CREATE DATABASE … TEMPLATE: a file copy, ~0.1 s,
    instead of ~15 s of migrations and load). Its name is returned; drop it at the session's end."""
    from tools import bench_pg_load

    source = work / "demo-for-pg.duckdb"
    shutil.copyfile(demo_file, source)
    name = f"csm_tpl_{uuid.uuid4().hex[:10]}"
    bench_pg_load.load(str(source), server, name, say=lambda _msg: None)
    source.unlink()
    return name


def clone_database(server: str, template: str) -> str:
    """A new database, a copy of `template` (nobody may be connected to the template)."""
    import psycopg

    name = f"csm_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{server.rsplit('/', 1)[0]}/{name}"


class Clones:
    """Clones of the template made ahead by a background thread (`ahead` of them ready), and the
    used ones dropped by it: a CREATE DATABASE … TEMPLATE costs 0.5–4 s on this loaded machine,
    most of it PostgreSQL writing and syncing the copy; made while the previous test runs, a
    test waits only for what is not ready yet. close() drops what is left."""

    def __init__(self, server: str, template: str, ahead: int = 2):
        import queue
        import threading

        self.server, self.template = server, template
        self._ready: queue.Queue = queue.Queue(maxsize=ahead)
        self._todo: queue.Queue = queue.Queue()  # ("drop", url) or ("stop", None)
        self._stop = threading.Event()
        self._left: list[str] = []  # drops that failed in the thread
        self._thread = threading.Thread(target=self._work, name="pg-clones", daemon=True)
        self._thread.start()

    def _drop(self, url: str) -> None:
        try:
            drop_database(url, self.server)
        except Exception:  # noqa: BLE001 - never kill the thread: close() tries once more
            self._left.append(url)

    def _work(self) -> None:
        import queue

        while not self._stop.is_set():
            try:
                kind, url = self._todo.get_nowait()
            except queue.Empty:
                kind, url = None, None
            if kind == "drop":
                self._drop(url)
                continue
            if self._ready.full():
                try:
                    kind, url = self._todo.get(timeout=0.05)
                except queue.Empty:
                    continue
                if kind == "drop":
                    self._drop(url)
                continue
            try:
                self._ready.put(clone_database(self.server, self.template))
            except Exception as exc:  # noqa: BLE001 - handed to the test that waits for it
                self._ready.put(exc)

    def take(self) -> str:
        import queue

        while True:
            try:
                got = self._ready.get(timeout=5)
                break
            except queue.Empty:
                if not self._thread.is_alive():  # (it should not die: then clone here)
                    return clone_database(self.server, self.template)
        if isinstance(got, Exception):
            raise got
        return got

    def give_back(self, url: str) -> None:
        """A used database: dropped by the thread (the next test need not wait for it)."""
        self._todo.put(("drop", url))

    def close(self) -> None:
        import queue

        self._stop.set()
        self._thread.join(timeout=60)
        while True:
            try:
                kind, url = self._todo.get_nowait()
            except queue.Empty:
                break
            if kind == "drop":
                self._left.append(url)
        for url in self._left:
            drop_database(url, self.server)
        while True:
            try:
                got = self._ready.get_nowait()
            except queue.Empty:
                break
            if isinstance(got, str):
                drop_database(got, self.server)


def new_database(server: str) -> str:
    import psycopg

    name = f"csm_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rsplit('/', 1)[0]}/{name}"


def drop_database(url: str, server: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
