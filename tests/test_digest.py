"""The daily digest: per manager and supervisor, stored for the home page and written as Excel."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

from openpyxl import load_workbook

from csm.actor import Actor
from csm.dashboards import digest, kpis
from tests.conftest import ROOT

DAY = date(2026, 8, 31)  # the tiny demo's activity ends on 2026-09-01


def test_digest_per_manager_equals_the_indicators(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_DIGEST_DIR", str(tmp_path))
    written = {d.username: d for d in digest.run(db, DAY)}
    assert {"manager_b1", "manager_p1", "supervisor1"} <= set(written)
    assert "clerk1" not in written and "hq" not in written
    user = db.one("users/by_username", {"username": "manager_p1"})
    actor = digest._actor_for(user, db.timezone, DAY)
    day = kpis.measure(db, actor, kpis.Period(DAY, DAY))
    d = written["manager_p1"]
    assert d.figures["received"] == day["received"].value
    assert d.figures["overdue_open"] == day["overdue_open"].value
    assert [k for k, _ in d.week][-1] == DAY and len(d.week) == 7
    ws = load_workbook(io.BytesIO(d.file.read_bytes())).active
    assert ws.cell(row=1, column=1).value == "部分"
    assert ws.cell(row=2, column=2).value == "新受理投诉" and ws.cell(row=2, column=3).value == d.figures["received"]
    # run twice: replaced, not doubled; the home page reads the latest
    digest.run(db, DAY)
    latest = digest.latest(db, Actor.of(user, tz=db.timezone))
    assert latest["day"] == DAY and latest["figures"] == d.figures
    rows = db.rows("dashboards/digest_latest", {"user_id": user["id"]})
    assert len(rows) == 1 and json.loads(rows[0]["summary"])["figures"]["received"] == d.figures["received"]


def test_digest_command(db_path, tmp_path):
    env = {"CSM_DB_PATH": db_path, "CSM_DIGEST_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "csm", "digest", "--date", "2026-08-31"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "位收件人" in out.stdout  # the command line speaks Chinese (csm/i18n/ops.py)
    assert sorted(p.name for p in (tmp_path / "2026-08-31").iterdir())[0].startswith("digest-2026-08-31-")
    bad = subprocess.run([sys.executable, "-m", "csm", "digest", "--date", "2026-02-30"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_home_page_shows_the_latest_digest(db_path, tmp_path, monkeypatch):
    from csm.db import open_database
    from tests.apptest_helpers import open_page

    monkeypatch.setenv("CSM_DIGEST_DIR", str(tmp_path))
    db = open_database(db_path)
    try:
        written = {d.username: d for d in digest.run(db, DAY)}
    finally:
        db.close()
    at = open_page("supervisor1", "home")
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["新受理投诉"] == str(written["supervisor1"].figures["received"])
    assert "每日摘要（2026-08-31）" in [e.label for e in at.expander]
