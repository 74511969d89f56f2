"""The command line beside a process that holds the database (issue 12): with a holder that does
not answer, every command says so in one line and exits 3, never a traceback; with the serving
process's channel up, backup, escalate and digest are done by it and restore is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm.ops import backup, control, service
from tests.conftest import ROOT, actor
from tests.test_complaints import intake


def run_cli(db_path, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csm", "--db", str(db_path), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


COMMANDS = [
    ("init", ["init"]),
    ("create-user", ["create-user", "zhang3", "--name", "张三", "--role", "clerk", "--scope-kind", "group",
                     "--password", "a-long-enough-password-9"]),
    ("backup", ["backup", "BACKUP"]),
    ("restore", ["restore", "BACKUP"]),
    ("escalate", ["escalate"]),
    ("digest", ["digest"]),
]


def test_every_command_beside_a_holder_that_does_not_answer_says_so_in_one_line(db_path, tmp_path):
    existing = tmp_path / "existing.tar"
    from csm.db import open_database

    db = open_database(db_path)
    backup.create(db, existing, tmp_path / "no-uploads")
    db.close()
    with _holding(db_path) as proc:
        for name, args in COMMANDS:
            args = [str(existing) if a == "BACKUP" else a for a in args]
            done = run_cli(db_path, *args)
            err = done.stderr.strip()
            assert done.returncode == 3, (name, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr and len(err.splitlines()) == 1, (name, err)
            assert f"PID {proc.pid}" in err, (name, err)
            if name == "restore":
                assert err == f"数据库 {Path(db_path).resolve()} 正在使用中（PID {proc.pid}），拒绝恢复：请先停止应用，再运行 restore。"
            elif name in ("backup", "escalate", "digest"):
                assert "没有响应控制请求" in err and f"{name} 未执行" in err
            else:
                assert err.startswith(f"数据库 {Path(db_path).resolve()} 正被另一个进程（PID {proc.pid}）使用，{name} 未执行")
    assert not (tmp_path / "BACKUP").exists()


@contextmanager
def _holding(db_path):
    """A real second process that opens the database and keeps it (a python shell, a stuck job)."""
    code = textwrap.dedent(f"""
        import sys
        from csm.db import open_database
        db = open_database({db_path!r})
        print("holding", flush=True)
        sys.stdin.read()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_while_this_process_serves_backup_escalate_digest_are_done_by_it(db_path, db, tmp_path, monkeypatch):
    """This test process plays the serving app: it holds the database and runs the service (its
    channel); the commands run in processes of their own, as cron would run them."""
    uploads = tmp_path / "uploads"
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(uploads))
    monkeypatch.setenv("CSM_DIGEST_DIR", str(tmp_path / "digests"))
    clerk = actor(db, "clerk1")
    from csm import complaints

    late = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id,
                                                       received_at=datetime.now(UTC) - timedelta(days=10)))
    svc = service.Service(db, escalate_every=3600).start()  # the timer will not run in this test
    try:
        assert control.server(db_path)["pid"] == os.getpid()
        env = {"CSM_UPLOADS_DIR": str(uploads), "CSM_DIGEST_DIR": str(tmp_path / "digests")}
        target = tmp_path / "online.tar"
        done = run_cli(db_path, "backup", str(target), env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"已备份到 {target}：") and f"正在运行的应用进程（PID {os.getpid()}）" in done.stdout
        manifest = backup.unpack(target, tmp_path / "check")  # complete and as its manifest says
        assert manifest["tables"]["complaints"]["rows"] == db.value("demo/count_complaints")

        done = run_cli(db_path, "escalate", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("已升级 ") and not done.stdout.startswith("已升级 0 ")
        assert db.one("complaints/row", {"id": late["id"]})["escalation_level"] == "branch_manager"

        done = run_cli(db_path, "digest", "--date", "2026-11-30", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("2026-11-30 的每日摘要：") and "正在运行的应用进程" in done.stdout
        assert (tmp_path / "digests" / "2026-11-30").is_dir()

        done = run_cli(db_path, "restore", str(target), env=env)
        assert done.returncode == 3 and "拒绝恢复" in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert not list(Path(db_path).parent.glob("*before-restore*"))
    finally:
        svc.stop()
    assert control.server(db_path) is None  # a stopped service no longer answers


def test_a_request_nobody_takes_is_withdrawn(db_path, tmp_path):
    """A heartbeat left by a process that died: the command does not wait for ever."""
    spool = control.folder(db_path)
    control.write_json(spool / control.HEARTBEAT, {"pid": 2 ** 22 + 12345, "db": str(Path(db_path).resolve()),
                                                   "beat": 0})
    with pytest.raises(control.NoServer):
        control.ask(db_path, "ping", claim_timeout=0.5)
    assert not list(spool.glob("*.request.json"))
