"""The same product on PostgreSQL (issue 14, docs/storage.md): CSM_DB_URL selects the shared
store; the migrations create the schema there; commands and reads work on it. A real local
PostgreSQL: CSM_TEST_PG_URL, else tools/ci_postgres.sh starts Debian's PostgreSQL 15 and creates
the test role. Skipped only when the PostgreSQL binaries are absent."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm import config
from csm.db import Database, open_database

ROOT = Path(__file__).resolve().parent.parent


def _tables(db: Database, sql: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    cur = db._conn.cursor()  # a test looking at the catalogue
    try:
        for table, column in cur.execute(sql).fetchall():
            out.setdefault(table, set()).add(column)
    finally:
        cur.close()
    return out


def test_csm_db_url_selects_the_engine(monkeypatch, tmp_path):
    monkeypatch.delenv("CSM_DB_URL", raising=False)
    monkeypatch.setenv("CSM_DB_PATH", str(tmp_path / "x.duckdb"))
    assert config.db_url() is None
    assert Database().engine is None  # unset: the DuckDB file, as before
    monkeypatch.setenv("CSM_DB_URL", "  ")
    assert config.db_url() is None
    monkeypatch.setenv("CSM_DB_URL", "postgresql://u:p@h/d")
    assert config.db_url() == "postgresql://u:p@h/d"


@pytest.mark.slow
def test_init_creates_the_same_schema_as_the_duckdb_file(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_DB_URL", pg_url)
    env = {**os.environ, "CSM_DB_URL": pg_url}
    first = subprocess.run([sys.executable, "-m", "csm", "init"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "applied migrations [1, 2, 3" in first.stdout
    assert ":***@" in first.stdout and pg_url.split("@")[0] + "@" not in first.stdout  # no password printed
    again = subprocess.run([sys.executable, "-m", "csm", "init"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert "none (up to date)" in again.stdout

    pg = Database(pg_url)
    duck = open_database(str(tmp_path / "ref.duckdb"))
    try:
        on_pg = _tables(pg, "SELECT table_name, column_name FROM pg.information_schema.columns "
                            "WHERE table_schema = 'public'")
        on_duck = _tables(duck, "SELECT table_name, column_name FROM duckdb_columns() "
                                "WHERE schema_name = 'main' AND database_name = current_database()")
        assert on_pg == on_duck
        cur = pg._conn.cursor()
        indexes = {r[0] for r in cur.execute(
            "SELECT * FROM postgres_query('pg', 'SELECT indexname FROM pg_indexes')").fetchall()}
        assert {"complaints_code", "complaints_project"} <= indexes  # the file's and pg's own (pg/024)
        # the reference data of the migrations is there, read through the product's named SQL
        assert pg.value("core/setting_get", {"key": "timezone"}) == "Asia/Shanghai"
    finally:
        pg.close()
        duck.close()


def _seed(db: Database) -> dict:
    """A branch, a project, a clerk of it and a supervisor: the admin commands' own statements."""
    from csm.org import users

    def work(tx):
        b = tx.value("admin/branch_insert", {"code": "B1", "name": "华东分公司", "active": True})
        p = tx.value("admin/project_insert", {"code": "P1", "name": "阳光花园", "project_type": "residential",
                                              "address": None, "households": 100, "branch_id": b, "active": True})
        return b, p

    branch, project = db.transaction(work)
    users.create(db, "cli", "clerk_pg", "前台小王", "Clerk-pass-2026", "clerk", "project", project)
    users.create(db, "cli", "super_pg", "主管老李", "Super-pass-2026", "supervisor", "project", project)
    return {"branch": branch, "project": project}


def _actor(db, username):
    from csm.actor import Actor
    from csm.org import users

    return Actor.of(users.get(db, username), tz=db.timezone)


def _intake(db, project: int, text: str):
    from csm.complaints import Intake

    channel = db.one("complaints/channel_by_code", {"code": "PHONE"})
    category = db.one("complaints/category_by_code", {"code": "ENG-WATER"})
    return Intake(project_id=project, complainant_name="王建国", complainant_phone="13912345678",
                  channel_id=channel["id"], category_id=category["id"], description=text,
                  received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text="1-0101")


@pytest.mark.slow
def test_a_filed_complaint_is_on_the_desk_of_another_process(pg_url):
    from csm.complaints import commands, reads

    a = open_database(pg_url)
    try:
        seed = _seed(a)
        filed = commands.file_complaint(a, _actor(a, "clerk_pg"), _intake(a, seed["project"], "3号楼地下室水管漏水"))
        assert filed["code"].startswith("TS-") and filed["code"].endswith("-000001")
    finally:
        a.close()
    b = open_database(pg_url)  # another Database: what server B sees
    try:
        rows, more = reads.worklist(b, _actor(b, "super_pg"))
        assert list(rows["code"]) == [filed["code"]] and not more
        assert rows.iloc[0]["summary"] == "3号楼地下室水管漏水"
        assert reads.status_counts(b, _actor(b, "super_pg"))["received"] == (1, 0)
        history = b.df("complaints/timeline", {"complaint_id": filed["id"], **_actor(b, "super_pg").params()})
        assert "file" in set(history["action"])
    finally:
        b.close()


@pytest.mark.slow
def test_two_updates_of_one_complaint_at_once_one_wins(pg_url):
    from csm.complaints import commands, reads
    from csm.errors import ConflictError

    a = open_database(pg_url)
    b = open_database(pg_url)
    try:
        seed = _seed(a)
        filed = commands.file_complaint(a, _actor(a, "clerk_pg"), _intake(a, seed["project"], "电梯异响"))
        version = reads.complaint(a, _actor(a, "super_pg"), filed["id"])["version"]
        results: list = []
        barrier = threading.Barrier(2)

        def judge(db, basis):
            barrier.wait()
            try:
                commands.judge(db, _actor(db, "super_pg"), filed["id"], version, "valid", basis, "general", "normal")
                results.append("saved")
            except ConflictError as exc:
                results.append(exc)

        threads = [threading.Thread(target=judge, args=(db, basis)) for db, basis in ((a, "甲"), (b, "乙"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count("saved") == 1
        refused = [r for r in results if r != "saved"]
        assert len(refused) == 1 and isinstance(refused[0], ConflictError)
        after = reads.complaint(b, _actor(b, "super_pg"), filed["id"])
        assert after["version"] == version + 1 and after["validity_basis"] in ("甲", "乙")
    finally:
        a.close()
        b.close()


@pytest.mark.slow
def test_filings_from_two_databases_at_once_keep_codes_unique_and_gap_free(pg_url):
    """Two Databases (what two app servers hold: their own connections, no shared lock) × 4
    threads × 5 filings at once: all saved, codes TS-<year>-000001 … 000040, each once."""
    from csm.complaints import commands, reads

    a = open_database(pg_url)
    b = open_database(pg_url)
    try:
        seed = _seed(a)
        saved, errors = [], []
        lock = threading.Lock()
        barrier = threading.Barrier(8)

        def clerk(db, n):
            actor = _actor(db, "clerk_pg")
            intakes = [_intake(db, seed["project"], f"并发投诉 {n}-{i}") for i in range(5)]
            barrier.wait()
            for intake in intakes:
                try:
                    result = commands.file_complaint(db, actor, intake)
                except Exception as exc:  # noqa: BLE001 (the assertion names them)
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    saved.append(result["code"])

        threads = [threading.Thread(target=clerk, args=(db, n)) for n, db in enumerate([a, b] * 4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in saved)
        assert numbers == list(range(1, 41))
        rows, _more = reads.worklist(b, _actor(b, "super_pg"), per_page=100)
        assert sorted(rows["code"]) == sorted(saved)  # every one on the desk
    finally:
        a.close()
        b.close()


_FILE_ELSEWHERE = """
import sys
from datetime import UTC, datetime, timedelta
from csm.actor import Actor
from csm.complaints import Intake, commands
from csm.db import open_database
from csm.org import users
db = open_database(sys.argv[1])
actor = Actor.of(users.get(db, "clerk_pg"), tz=db.timezone)
channel = db.one("complaints/channel_by_code", {"code": "PHONE"})
category = db.one("complaints/category_by_code", {"code": "ENG-WATER"})
print(commands.file_complaint(db, actor, Intake(
    project_id=int(sys.argv[2]), complainant_name="李四", complainant_phone="13912345678",
    channel_id=channel["id"], category_id=category["id"], description="另一台服务器录入",
    received_at=datetime.now(UTC) - timedelta(minutes=1), unit_text="2-0202"))["code"])
db.close()
"""


@pytest.mark.slow
def test_a_cached_desk_shows_a_write_of_another_process_at_its_next_rerun(pg_url):
    """The cached reads key on the versions every process shares (two sequences): a complaint
    filed by another process is on this process's cached desk once the bound (0.25 s) has passed,
    and a reference change there (a new channel) empties this process's reference cache."""
    import time

    from csm.complaints import reads
    from csm.web.cache import live

    a = open_database(pg_url)
    try:
        seed = _seed(a)
        boss = _actor(a, "super_pg")
        assert reads.status_counts(a, boss)["received"] == (0, 0)
        before_data, before_ref = a.version, a.reference_version
        first = live(reads.worklist, a, boss)[0]
        assert first.empty
        ref_cache = a.reference_cache()
        ref_cache["probe"] = 1
        out = subprocess.run([sys.executable, "-c", _FILE_ELSEWHERE, pg_url, str(seed["project"])], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        code = out.stdout.strip().splitlines()[-1]
        assert live(reads.worklist, a, boss)[0].empty or a.version > before_data  # within the bound, maybe old
        time.sleep(a.engine.VERSION_SECONDS + 0.05)
        assert a.version > before_data
        assert list(live(reads.worklist, a, boss)[0]["code"]) == [code]  # the next rerun: the new row
        assert a.reference_version == before_ref  # a filing changes no reference data
        assert a.reference_cache().get("probe") == 1
        import psycopg

        with psycopg.connect(pg_url) as conn:  # another process's reference change, as a raw commit + move
            conn.execute("SELECT nextval('csm_reference_changes')")
        time.sleep(a.engine.VERSION_SECONDS + 0.05)
        assert a.reference_version > before_ref
        assert "probe" not in a.reference_cache()
    finally:
        a.close()
