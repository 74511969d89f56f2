"""Backup and restore (issue 12): one tar with the database, the uploads and a manifest; a restore
checks it all before touching anything, keeps what it replaces aside and puts the photos back."""

from __future__ import annotations

import hashlib
import tarfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csm import cli, complaints
from csm.complaints import Attachment
from csm.db import Database, migration_files, open_database
from csm.errors import ValidationFailed
from csm.ops import backup
from tests.conftest import actor
from tests.test_attachments import JPEG, PNG
from tests.test_complaints import intake


@pytest.fixture
def uploads(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(folder))
    return folder


def fingerprints(path) -> dict:
    db = Database(str(path), read_only=True)
    try:
        return db.table_fingerprints()
    finally:
        db.close()


def files_of(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def file_with_photo(db, data=PNG, name="现场.png") -> dict:
    clerk = actor(db, "clerk1")
    return complaints.file_complaint(db, clerk, intake(db, clerk.scope.id), [Attachment(name, data)])


def test_round_trip_equal_per_table_and_the_photos_back(db_path, db, uploads, tmp_path, capsys):
    file_with_photo(db)
    file_with_photo(db, JPEG, "漏水.jpg")
    db.close()
    before, photos = fingerprints(db_path), files_of(uploads)
    assert len(photos) == 2 and before["complaint_attachments"]["rows"] >= 2

    target = tmp_path / "backups" / "csm-backup.tar"
    assert cli.main(["--db", db_path, "backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"已备份到 {target}：") and "附件 2 个" in out and "由本命令直接完成" in out

    # life goes on after the backup: a new complaint, and the uploads folder is lost
    later = open_database(db_path)
    file_with_photo(later, JPEG[:-2] + b"\x00\x00\xff\xd9", "又一张.jpg")
    later.close()
    for p in sorted(uploads.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()

    assert cli.main(["--db", db_path, "restore", str(target)]) == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith(f"已从备份 {target}") and "原数据库已保留为" in said and "附件 2 个" in said
    assert fingerprints(db_path) == before  # every table: same rows, same checksum
    assert files_of(uploads) == photos  # the photos are back, byte for byte
    aside = list(Path(db_path).parent.glob("csm.duckdb.before-restore-*"))
    assert len(aside) == 1 and fingerprints(aside[0])["complaints"]["rows"] == before["complaints"]["rows"] + 1
    kept = list(uploads.parent.glob("uploads.before-restore-*"))
    assert len(kept) == 1  # the replaced uploads folder is kept aside too (empty here)
    reopened = open_database(db_path)  # the restored file opens and migrates like any other
    assert reopened.value("demo/count_complaints") == before["complaints"]["rows"]
    reopened.close()


def test_a_backup_cut_to_90_percent_is_refused_and_nothing_is_touched(db_path, db, uploads, tmp_path, capsys):
    file_with_photo(db)
    db.close()
    target = tmp_path / "csm-backup.tar"
    assert cli.main(["--db", db_path, "backup", str(target)]) == 0
    capsys.readouterr()
    data = target.read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[: int(len(data) * 0.9)])
    db_bytes, photos = Path(db_path).read_bytes(), files_of(uploads)

    assert cli.main(["--db", db_path, "restore", str(cut)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"备份文件 {cut} 不完整或已损坏") and err.endswith("未做任何更改。") and "\n" not in err
    assert Path(db_path).read_bytes() == db_bytes and files_of(uploads) == photos
    assert not list(tmp_path.glob("**/*before-restore*")) and not list(tmp_path.glob("**/.csm-restore-*"))


def test_a_backup_whose_table_differs_from_its_manifest_is_refused(db_path, db, uploads, tmp_path):
    file_with_photo(db)  # with an upload in it too: the tables are checked after the files
    target = tmp_path / "csm-backup.tar"
    manifest = backup.create(db, target, uploads)
    db.close()
    manifest["tables"]["complaints"]["rows"] += 1  # a manifest that does not describe its database
    forged = tmp_path / "forged.tar"
    import io
    import json

    with tarfile.open(target) as src, tarfile.open(forged, "w") as dst:
        for m in src.getmembers():
            if m.name == backup.MANIFEST:
                raw = json.dumps(manifest).encode()
                m.size = len(raw)
                dst.addfile(m, io.BytesIO(raw))
            else:
                dst.addfile(m, src.extractfile(m))
    with pytest.raises(backup.BackupInvalid) as bad:
        backup.restore(forged, Path(db_path), uploads)
    assert bad.value.reason == "ops.reason.table_differs" and bad.value.params == {"table": "complaints"}


def test_the_online_copy_is_one_snapshot_while_filings_go_on(db_path, db, uploads, tmp_path):
    """COPY FROM DATABASE under 4 writers: the copy holds each complaint with its history and audit
    rows (written in the same transaction) or none of them: one consistent moment."""
    clerk = actor(db, "clerk1")
    stop = threading.Event()
    filed = []
    first = db._conn.execute("SELECT max(id) FROM complaints").fetchone()[0] + 1  # the demo's have no filing history

    def writer():
        while not stop.is_set():
            filed.append(complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))["id"])

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for th in threads:
        th.start()
    try:
        while len(filed) < 5:
            stop.wait(0.05)
        copies = []
        for i in range(3):
            target = tmp_path / f"b{i}.tar"
            manifest = backup.create(db, target, uploads)
            copies.append((target, manifest))
    finally:
        stop.set()
        for th in threads:
            th.join()
    assert len(filed) > 5
    for target, manifest in copies:
        staging = tmp_path / f"x-{target.stem}"
        assert backup.unpack(target, staging) == manifest
        copy = Database(str(staging / backup.DB_MEMBER), read_only=True)
        try:
            n, with_history, with_audit = copy._conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaint_history h "
                "WHERE h.complaint_id = c.id AND h.action = 'file')), count(*) FILTER (WHERE EXISTS ("
                "SELECT 1 FROM audit_log a WHERE a.entity = 'complaint' AND a.entity_id = c.id::VARCHAR "
                "AND a.action = 'create')) FROM complaints c WHERE c.id >= ?", [first]).fetchone()
            orphans = copy._conn.execute("SELECT count(*) FROM complaint_history h WHERE NOT EXISTS ("
                                         "SELECT 1 FROM complaints c WHERE c.id = h.complaint_id)").fetchone()[0]
        finally:
            copy.close()
        assert 0 < n == with_history == with_audit and orphans == 0


def test_a_refused_filing_leaves_no_file_behind(db, uploads):
    clerk = actor(db, "clerk1")
    with pytest.raises(ValidationFailed):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, complainant_name=""),
                                  [Attachment("现场.png", PNG)])
    assert not [p for p in uploads.rglob("*") if p.is_file()]


def test_a_refused_filing_keeps_a_file_another_complaint_uses(db, uploads):
    clerk = actor(db, "clerk1")
    saved = file_with_photo(db)
    photos = files_of(uploads)
    with pytest.raises(ValidationFailed):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, complainant_name=""),
                                  [Attachment("同一张.png", PNG)])
    assert files_of(uploads) == photos and len(photos) == 1  # still there for the saved complaint
    rows = db.rows("complaints/attachments", {"complaint_id": saved["id"], **clerk.params()})
    assert (uploads / rows[0]["stored_path"]).exists()


def test_the_manifest_says_what_the_backup_holds(db, uploads, tmp_path):
    file_with_photo(db)
    manifest = backup.create(db, tmp_path / "b.tar", uploads)
    assert abs(datetime.now(UTC) - datetime.fromisoformat(manifest["created_at"])) < timedelta(minutes=5)
    assert manifest["tables"]["complaints"]["rows"] == db.value("demo/count_complaints")
    assert manifest["tables"]["schema_version"]["rows"] == len(migration_files())
    [photo] = manifest["uploads"]
    assert photo["size"] == len(PNG) and photo["sha256"] == hashlib.sha256(PNG).hexdigest()
    with tarfile.open(tmp_path / "b.tar") as tar:
        assert sorted(tar.getnames()) == sorted([backup.DB_MEMBER, backup.MANIFEST, f"uploads/{photo['path']}"])


def test_a_damaged_database_is_replaced_by_the_backup(db_path, db, uploads, tmp_path, capsys):
    """What a restore is for: the file no longer opens (e.g. a copy taken while the app wrote)."""
    target = tmp_path / "good.tar"
    manifest = backup.create(db, target, uploads)
    db.close()
    Path(db_path).write_bytes(b"DUCK" + b"\x00" * 4096)  # not a database any more
    assert cli.main(["--db", db_path, "restore", str(target)]) == 0
    assert fingerprints(db_path) == manifest["tables"]
    assert "原数据库已保留为" in capsys.readouterr().out


def test_a_backup_into_a_folder_that_cannot_be_written_is_one_line(db_path, db, tmp_path, capsys):
    db.close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert cli.main(["--db", db_path, "backup", str(blocker / "b.tar")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("备份未完成：") and "\n" not in err
