"""Operations on PostgreSQL (issue 14, docs/storage.md "Slice 3 and 5"): the scheduler's commands run
directly against the server while other processes hold it open (no control channel), escalation
from several processes at once escalates each complaint once, backup = pg_dump + uploads with a
manifest whose per-table checksums compare equal after a restore, a restore checked before it
touches anything and refused while another session uses the database, and the complaint numbers
a killed process never filed come back after an age — never before. Real PostgreSQL, real
subprocesses of `python -m csm`."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm.db import Database, open_database
from tests.test_storage_pg import _actor, _intake, _seed

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded_template(pg_server):
    """One migrated database with the seed (tests/test_storage_pg.py _seed), made once per module:
    each test's database is a copy of it (CREATE DATABASE … TEMPLATE, ~1.5 s instead of ~9 s of
    migrations on this loaded machine)."""
    from tests.pg_helpers import drop_database, new_database

    url = new_database(pg_server)
    db = open_database(url)
    try:
        _seed(db)
    finally:
        db.close()
    yield url
    drop_database(url, pg_server)


@pytest.fixture
def pg_url(pg_server, seeded_template):
    """This module's own: a new database per test, a copy of the seeded template, dropped after."""
    import uuid

    from tests.pg_helpers import drop_database

    name = f"csm_t_{uuid.uuid4().hex[:10]}"
    _sql(pg_server, f'CREATE DATABASE "{name}" TEMPLATE "{seeded_template.rsplit("/", 1)[1]}"')
    url = f"{pg_server.rsplit('/', 1)[0]}/{name}"
    yield url
    drop_database(url, pg_server)


def _seeded(db: Database) -> dict:
    """The ids of the template's seed (a branch B1, its project P1, clerk_pg and super_pg)."""
    return {"branch": db.one("org/branch_by_code", {"code": "B1"})["id"],
            "project": db.one("org/project_by_code", {"code": "P1"})["id"]}


def _cli(url: str, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csm", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "CSM_DB_URL": url, **(env or {})})


def _sql(url: str, sql: str, params=None):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


def _late(db: Database, seed: dict, n: int) -> list[int]:
    """n complaints filed as received ten days ago: late for their first response."""
    from csm.complaints import commands

    clerk = _actor(db, "clerk_pg")
    ids = []
    for i in range(n):
        intake = _intake(db, seed["project"], f"超时未响应 {i}")
        intake.received_at = datetime.now(UTC) - timedelta(days=10)
        ids.append(commands.file_complaint(db, clerk, intake)["id"])
    return ids


def _escalations(url: str) -> dict[int, int]:
    return dict(_sql(url, "SELECT complaint_id, count(*) FROM complaint_history WHERE action = 'escalate' "
                          "GROUP BY complaint_id"))


# ---- escalation from several processes -----------------------------------------------------------
def test_two_escalate_commands_at_once_escalate_each_complaint_once(pg_url):
    db = open_database(pg_url)  # an app process holding the store open meanwhile
    try:
        ids = _late(db, _seeded(db), 12)
        assert len(db.rows("complaints/late_for_escalation", {"now": datetime.now(UTC)})) == 12
        env = {**os.environ, "CSM_DB_URL": pg_url}
        procs = [subprocess.Popen([sys.executable, "-m", "csm", "escalate"], cwd=ROOT, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        said = [out.strip().splitlines()[-1] for out, _err in outs]
        counted = 0
        for line in said:
            assert "由本命令直接在 PostgreSQL 服务器上完成" in line
            if line.startswith("已升级"):
                counted += int(line.removeprefix("已升级 ").split(" ", 1)[0])
            else:
                assert line.startswith("另一个进程正在执行超时升级，本次跳过")
        assert counted == 12  # between them, each complaint once
        assert _escalations(pg_url) == {cid: 1 for cid in ids}
        levels = {r[0] for r in _sql(pg_url, "SELECT escalation_level FROM complaints")}
        assert levels == {"branch_manager"}  # one level up, not two
    finally:
        db.close()


def test_two_processes_escalating_at_once_without_the_lock_escalate_once(pg_url):
    """The escalation's own condition (complaints/escalate: the escalation state read is part of
    the WHERE), without the advisory lock: two Databases run escalate_all at the same moment over
    the same complaints; each is escalated once, one history row, one notice per new owner."""
    from csm.complaints import steps

    a, b = open_database(pg_url), open_database(pg_url)
    try:
        ids = _late(a, _seeded(a), 20)
        now = datetime.now(UTC)
        barrier, counts = threading.Barrier(2), []

        def run(db):
            barrier.wait()
            counts.append(steps.escalate_all(db, now))

        threads = [threading.Thread(target=run, args=(db,)) for db in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(counts) == 20
        assert _escalations(pg_url) == {cid: 1 for cid in ids}
        assert _sql(pg_url, "SELECT count(*) FROM audit_log WHERE action = 'escalate'")[0][0] == 20
    finally:
        a.close()
        b.close()


def test_the_escalation_timers_of_two_app_processes_are_harmless(pg_url, tmp_path, monkeypatch):
    """Each app process runs the timer (csm.ops.service); on PostgreSQL one run at a time holds
    the advisory lock, the other skips; no control channel is made for a URL."""
    from csm.ops import service

    monkeypatch.chdir(tmp_path)  # a control folder made from the URL would land here
    a, b = open_database(pg_url), open_database(pg_url)
    timers = []
    try:
        ids = _late(a, _seeded(a), 10)
        with service.advisory_lock(a, service.ESCALATION_ADVISORY_KEY) as mine:
            assert mine
            assert service.escalate(b) is None  # another process's run holds the lock: skipped
            out = _cli(pg_url, "escalate")
            assert out.returncode == 0 and out.stdout.startswith("另一个进程正在执行超时升级，本次跳过"), out
        assert _escalations(pg_url) == {}
        timers = [service.Service(db, escalate_every=0.2, beat_every=0.05).start() for db in (a, b)]
        import time

        deadline = time.monotonic() + 60
        while len(_escalations(pg_url)) < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # several more runs of both timers
        assert all(t.alive() for t in timers)
        assert _escalations(pg_url) == {cid: 1 for cid in ids}
        assert sum(t.escalations["escalated"] for t in timers) == 10
        assert sum(t.escalations["runs"] for t in timers) >= 3
        assert list(tmp_path.iterdir()) == []  # no spool, no heartbeat on PostgreSQL
    finally:
        for t in timers:
            t.stop()
        a.close()
        b.close()


# ---- the other commands while serving ------------------------------------------------------------
def test_digest_and_create_user_run_against_the_server_while_it_serves(pg_url, tmp_path):
    db = open_database(pg_url)  # the serving process keeps it open
    try:
        seed = _seeded(db)
        env = {"CSM_DIGEST_DIR": str(tmp_path / "digests")}
        made = _cli(pg_url, "create-user", "clerk_two", "--name", "前台小赵", "--role", "clerk",
                    "--scope-kind", "project", "--scope-id", str(seed["project"]),
                    "--password", "Clerk-two-pass-2026", env=env)
        assert made.returncode == 0, made.stderr
        assert db.one("users/by_username", {"username": "clerk_two"}) is not None
        digest = _cli(pg_url, "digest", "--date", "2026-11-30", env=env)
        assert digest.returncode == 0, digest.stderr
        assert digest.stdout.startswith("2026-11-30 的每日摘要：") and "由本命令直接在 PostgreSQL 服务器上完成" in digest.stdout
        assert list((tmp_path / "digests" / "2026-11-30").glob("digest-2026-11-30-super_pg.xlsx"))
    finally:
        db.close()


# ---- complaint numbers across processes ------------------------------------------------------------
_TAKE_AND_DIE = """
import os, signal, sys
import psycopg
conn = psycopg.connect(sys.argv[1])
year = int(sys.argv[2])
# as an earlier version did: the number taken in a transaction of its own, committed, and the
# process killed before the complaint was filed
n = conn.execute("UPDATE complaint_counters SET last_no = last_no + 1 WHERE year = %s RETURNING last_no", [year]).fetchone()[0]
if sys.argv[3] == "commit":
    conn.commit()
print(n, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_number_a_killed_process_never_filed_comes_back_after_the_age_never_before(pg_url):
    from csm.complaints import commands
    from csm.ops import service

    db = open_database(pg_url)
    try:
        seed = _seeded(db)
        clerk = _actor(db, "clerk_pg")
        first = commands.file_complaint(db, clerk, _intake(db, seed["project"], "第一宗"))["code"]
        year = int(first.split("-")[1])
        assert first.endswith("-000001")

        # killed inside the filing's transaction (today's filings): the engine rolls the number back
        died = subprocess.run([sys.executable, "-c", _TAKE_AND_DIE, pg_url, str(year), "open"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert died.returncode == -signal.SIGKILL and died.stdout.strip() == "2"
        assert commands.file_complaint(db, clerk, _intake(db, seed["project"], "第二宗"))["code"].endswith("-000002")

        # killed after committing the number alone (an earlier version, any such path): a gap
        died = subprocess.run([sys.executable, "-c", _TAKE_AND_DIE, pg_url, str(year), "commit"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert died.returncode == -signal.SIGKILL and died.stdout.strip() == "3"
        after = commands.file_complaint(db, clerk, _intake(db, seed["project"], "第四宗"))["code"]
        assert after.endswith("-000004")  # 3 is the killed process's: never handed back at once
        other = open_database(pg_url)  # a process start hands nothing back on PostgreSQL
        other.close()
        assert _sql(pg_url, "SELECT count(*) FROM complaint_code_returns")[0][0] == 0
        now = datetime.now(UTC)
        assert service.return_code_gaps(db, now) == []  # a later number filed a moment ago: too young
        assert service.return_code_gaps(db, now + service.CODE_GAP_AGE - timedelta(seconds=30)) == []
        assert service.escalate(db) == 0  # the escalation run (cron) does not hand it back either
        assert _sql(pg_url, "SELECT count(*) FROM complaint_code_returns")[0][0] == 0

        # after the age: `init` (and every escalation run) hands it back, and the next filing takes it
        _sql(pg_url, "UPDATE complaints SET created_at = created_at - INTERVAL '11 minutes'")
        done = _cli(pg_url, "init")
        assert done.returncode == 0, done.stderr
        assert f"已将 1 个取号后从未使用的投诉编号放回编号池（TS-{year}-000003）" in done.stdout
        assert _cli(pg_url, "init").stdout.count("已将") == 0  # once
        import time

        time.sleep(db.engine.VERSION_SECONDS + 0.05)  # this process sees the reference change
        reused = commands.file_complaint(db, clerk, _intake(db, seed["project"], "第五宗"))["code"]
        assert reused == f"TS-{year}-000003"
        nexts = commands.file_complaint(db, clerk, _intake(db, seed["project"], "第六宗"))["code"]
        assert nexts == f"TS-{year}-000005"
        codes = sorted(r[0] for r in _sql(pg_url, "SELECT code FROM complaints"))
        assert codes == [f"TS-{year}-{n:06d}" for n in range(1, 6)]
    finally:
        db.close()


# ---- backup and restore --------------------------------------------------------------------------
def _fingerprints(url: str) -> dict:
    from csm.ops import pgbackup

    conn = pgbackup._connect(url, autocommit=False)
    try:
        return pgbackup.fingerprints(conn)
    finally:
        conn.close()


def _databases(server_url: str, prefix: str) -> list[str]:
    return [r[0] for r in _sql(server_url, "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1",
                               [prefix.replace("_", r"\_") + "%"])]


@pytest.fixture
def served(pg_url, tmp_path):
    """A store with data and an uploaded file; yields (url, env, the fingerprints when backed up)."""
    from csm.complaints import commands

    uploads = tmp_path / "uploads"
    (uploads / "2026" / "11").mkdir(parents=True)
    (uploads / "2026" / "11" / "现场照片.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2000))
    db = open_database(pg_url)
    try:
        seed = _seeded(db)
        for i in range(5):
            commands.file_complaint(db, _actor(db, "clerk_pg"), _intake(db, seed["project"], f"备份前 {i}"))
    finally:
        db.close()
    yield pg_url, {"CSM_UPLOADS_DIR": str(uploads)}
    name = pg_url.rsplit("/", 1)[1]
    for aside in _databases(pg_url, f"{name}_"):
        _sql(pg_url, f'DROP DATABASE IF EXISTS "{aside}" WITH (FORCE)')  # noqa: S608 (a test's own names)


def test_backup_then_restore_gives_back_every_table_and_the_uploads(served, tmp_path, pg_server):
    from csm.complaints import commands

    url, env = served
    name = url.rsplit("/", 1)[1]
    before = _fingerprints(url)
    out = _cli(url, "backup", str(tmp_path / "b.tar"), env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"已备份到 {tmp_path / 'b.tar'}：") and "附件 1 个" in out.stdout
    assert "由本命令直接在 PostgreSQL 服务器上完成" in out.stdout
    with tarfile.open(tmp_path / "b.tar") as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names == {"manifest.json", "database.pgdump", "uploads/2026/11/现场照片.jpg"}
    assert manifest["engine"] == "postgresql" and manifest["tables"] == before
    assert manifest["tables"]["complaints"]["rows"] == 5
    assert ":***@" in manifest["source"] and "csm_test:csm_test@" not in manifest["source"]

    db = open_database(url)  # after the backup: one more complaint, the photo removed
    try:
        project = db.one("org/project_by_code", {"code": "P1"})["id"]
        commands.file_complaint(db, _actor(db, "clerk_pg"), _intake(db, project, "备份后"))
        old_version = db.version
    finally:
        db.close()
    photo = Path(env["CSM_UPLOADS_DIR"]) / "2026" / "11" / "现场照片.jpg"
    photo.unlink()
    assert _fingerprints(url) != before

    out = _cli(url, "restore", str(tmp_path / "b.tar"), env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"已从备份 {tmp_path / 'b.tar'}（生成于 ")
    assert "恢复数据库到 postgresql://csm_test:***@" in out.stdout
    aside = _databases(pg_server, f"{name}_replaced_")
    assert len(aside) == 1 and f"原数据库已保留为 {aside[0]}" in out.stdout
    assert _fingerprints(url) == before  # every table: the same rows, counted and checksummed
    assert photo.is_file()
    assert _sql(f"{url.rsplit('/', 1)[0]}/{aside[0]}", "SELECT count(*) FROM complaints")[0][0] == 6  # kept aside
    assert _databases(pg_server, f"{name}_restoring_") == []
    db = open_database(url)  # the product on the restored store; its cached reads' version moved on
    try:
        assert db.version > old_version
        assert sorted(db.df("complaints/timeline", {"complaint_id": 1, **_actor(db, "super_pg").params()})["action"]
                      ) == ["file"]
    finally:
        db.close()


def test_a_truncated_backup_is_refused_and_nothing_is_changed(served, tmp_path, pg_server):
    url, env = served
    name = url.rsplit("/", 1)[1]
    assert _cli(url, "backup", str(tmp_path / "b.tar"), env=env).returncode == 0
    data = (tmp_path / "b.tar").read_bytes()
    (tmp_path / "cut.tar").write_bytes(data[: len(data) // 2])
    before = _fingerprints(url)
    out = _cli(url, "restore", str(tmp_path / "cut.tar"), env=env)
    assert out.returncode == 2
    assert out.stderr.startswith(f"备份文件 {tmp_path / 'cut.tar'} 不完整或已损坏（") and out.stderr.endswith("未做任何更改。\n")
    assert _fingerprints(url) == before and _databases(pg_server, f"{name}_") == []

    # a manifest whose table checksums are not the dump's: refused after restoring it aside, the
    # live database untouched and the half-made one dropped
    with tarfile.open(tmp_path / "b.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["complaints"]["rows"] += 1
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with tarfile.open(tmp_path / "altered.tar", "w") as tar:
        for member, raw in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    out = _cli(url, "restore", str(tmp_path / "altered.tar"), env=env)
    assert out.returncode == 2 and "表 complaints 的行数或校验和与清单不符" in out.stderr
    assert _fingerprints(url) == before and _databases(pg_server, f"{name}_") == []


def test_restore_is_refused_while_another_session_uses_the_database(served, tmp_path, pg_server):
    import psycopg

    url, env = served
    name = url.rsplit("/", 1)[1]
    assert _cli(url, "backup", str(tmp_path / "b.tar"), env=env).returncode == 0
    before = _fingerprints(url)
    with psycopg.connect(url) as other:  # an app process, a psql left open
        pid = other.info.backend_pid
        out = _cli(url, "restore", str(tmp_path / "b.tar"), env=env)
    assert out.returncode == 3
    assert out.stderr == (f"数据库 {name} 还有 1 个其他会话在使用（PID {pid}），拒绝恢复，未做任何更改："
                          "请先停止所有应用进程和其他连接，再运行 restore。\n")
    assert _fingerprints(url) == before and _databases(pg_server, f"{name}_") == []
    assert (Path(env["CSM_UPLOADS_DIR"]) / "2026" / "11" / "现场照片.jpg").is_file()
