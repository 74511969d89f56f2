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
