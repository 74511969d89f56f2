"""A real serving process (issue 12): `streamlit run serve.py` escalates on its timer with nobody
on the desk, and the command line works beside it (tests/test_ops_cli.py has the same with this
test process playing the server)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csm.db import open_database
from csm.ops import backup, control
from tests import browser_helpers as bh
from tests.conftest import ROOT
from tests.test_ops_escalation import late, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


def run_cli(db_path, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csm", "--db", str(db_path), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, env={**os.environ, **(env or {})})


def test_a_serving_app_escalates_on_its_timer_and_answers_the_command_line(demo_db_file, tmp_path, browser):
    """`streamlit run serve.py` on a copy with a complaint overdue; one visitor opens the login page
    and leaves (nobody logs in, nobody opens the desk); the timer escalates; meanwhile cron's
    commands work beside it: backup and escalate done by the app, restore, init and create-user
    refused in one line each."""
    work = tmp_path / "srv"
    work.mkdir()
    db_file = work / "csm.duckdb"
    shutil.copyfile(demo_db_file, db_file)
    db = open_database(str(db_file))
    cid = late(db)
    db.close()
    env = {"CSM_ESCALATE_EVERY": "1", "CSM_UPLOADS_DIR": str(work / "uploads")}
    app = bh.start_app(db_file, work, env)
    try:
        page = bh.new_page(browser)
        bh.open_login(page, app.url)  # the first script run starts the service
        page.context.close()
        beat = wait_until(lambda: (control.server(str(db_file)) or {}).get("escalations", {}).get("escalated"), 90)
        assert beat and beat >= 1, app.log()
        cli_env = {"CSM_UPLOADS_DIR": str(work / "uploads")}
        target = tmp_path / "online.tar"
        done = run_cli(db_file, "backup", str(target), env=cli_env)
        assert done.returncode == 0 and f"正在运行的应用进程（PID {app.process.pid}）" in done.stdout, done.stderr
        done = run_cli(db_file, "escalate", env=cli_env)
        assert done.returncode == 0 and done.stdout.startswith("已升级 "), done.stderr
        for args in (["restore", str(target)], ["init"],
                     ["create-user", "li4", "--name", "李四", "--role", "clerk", "--password", "x-long-password-7"]):
            done = run_cli(db_file, *args, env=cli_env)
            err = done.stderr.strip()
            assert done.returncode == 3 and len(err.splitlines()) == 1 and "Traceback" not in err, (args, err)
            assert f"PID {app.process.pid}" in err
    finally:
        bh.stop_app(app)
    db = open_database(str(db_file))
    try:
        assert db.one("complaints/row", {"id": cid})["escalation_level"] == "branch_manager"
    finally:
        db.close()
    # and the online backup restores into a fresh place with every table as its manifest says
    fresh = tmp_path / "fresh" / "csm.duckdb"
    done = backup.restore(target, fresh, tmp_path / "fresh" / "uploads")
    assert done["tables"] >= 20 and Path(fresh).exists()
