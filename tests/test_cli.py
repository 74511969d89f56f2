"""The command line: init, escalate, backup and restore on real files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from csm import cli, complaints
from csm.complaints import Intake
from csm.db import open_database
from tests.conftest import actor


def test_help_lists_the_commands(capsys):
    try:
        cli.main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    for command in ("init", "create-user", "backup", "restore", "escalate", "digest"):
        assert command in out


def test_escalate_from_the_cli(db_path, capsys):
    db = open_database(db_path)
    clerk = actor(db, "clerk1")
    complaints.file_complaint(db, clerk, Intake(
        project_id=clerk.scope.id, complainant_name="钱女士", channel_id=db.value("complaints/channel_by_code", {"code": "PHONE"}),
        category_id=db.value("complaints/category_by_code", {"code": "SVC-CLN"}), description="垃圾未清运",
        received_at=datetime.now(UTC) - timedelta(days=9)))
    db.close()
    assert cli.main(["--db", db_path, "escalate"]) == 0
    first = capsys.readouterr().out
    done_here = "由本命令直接在 PostgreSQL 服务器上完成" if db.engine is not None else "由本命令直接完成"
    assert first.startswith("已升级 ") and not first.startswith("已升级 0 ") and done_here in first
    assert cli.main(["--db", db_path, "escalate"]) == 0
    assert capsys.readouterr().out.startswith("已升级 0 宗")  # once per due time


@pytest.mark.duckdb_only("a file backup restored into a new DuckDB file (pg_dump's: tests/test_pg_ops.py)")
def test_backup_and_restore_round_trip(db_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(tmp_path / "uploads"))
    backup = tmp_path / "b" / "csm-backup.tar"
    assert cli.main(["--db", db_path, "backup", str(backup)]) == 0
    target = tmp_path / "restored.duckdb"
    assert cli.main(["--db", str(target), "restore", str(backup)]) == 0
    db = open_database(str(target))
    assert db.value("demo/count_complaints") == 400
    db.close()
    assert cli.main(["--db", str(target), "restore", str(tmp_path / "missing.tar")]) == 2
    assert "找不到备份文件" in capsys.readouterr().err


def test_help_points_at_the_demo_tool(capsys):
    try:
        cli.main(["--help"])
    except SystemExit:
        pass
    assert "python -m tools.demo" in capsys.readouterr().out
