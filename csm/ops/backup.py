"""One backup = one tar file: the database (a consistent copy taken while the app writes), the
uploads folder, and manifest.json (per-table row counts and checksums, size and sha256 of the
database copy and of every uploaded file). A restore checks all of it before touching anything,
keeps what it replaces aside, and puts the uploads back too."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from csm.db import Database, DatabaseInUse
from csm.ops import pgbackup
from csm.storage.pg import redact

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = "database.duckdb"
UPLOADS = "uploads"
_CHUNK = 1 << 20


class BackupInvalid(Exception):
    """The backup does not match its manifest (cut short, altered, not a backup): `reason` is a
    catalog key of csm/i18n/ops.py, `params` its parameters."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def upload_files(uploads: Path) -> list[Path]:
    """The stored files of the uploads folder (not a half-written *.part), relative, sorted."""
    if not uploads.is_dir():
        return []
    return sorted(p.relative_to(uploads) for p in uploads.rglob("*")
                  if p.is_file() and not p.name.endswith(".part"))


def create(db: Database, target: Path, uploads: Path, quiescent: bool = False) -> dict:
    """Writes the backup tar to `target` (through a .part file, renamed when complete) and
    returns its manifest. Runs in the process that holds the database: the serving app (asked
    through csm.ops.control: an online copy, COPY FROM DATABASE) or the command itself when
    nobody else holds it (`quiescent`: nobody writes, so CHECKPOINT + a copy of the file is the
    same snapshot, several times faster on a large database)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".csm-backup-", dir=target.parent))
    part = target.with_name(target.name + ".part")
    member = DB_MEMBER if db.engine is None else pgbackup.DB_MEMBER
    try:
        copy = work / member
        if db.engine is not None:  # PostgreSQL: pg_dump, fingerprinted in its own snapshot
            tables = pgbackup.dump(db.path, copy)
        elif quiescent:
            db.checkpoint()
            shutil.copyfile(db.path, copy)
        else:
            db.copy_to(str(copy))  # first the database: every file it names was stored before it committed
        if db.engine is None:
            snapshot = Database(str(copy), read_only=True)
            try:
                tables = snapshot.table_fingerprints()
            finally:
                snapshot.close()
        files = []
        with tarfile.open(part, "w") as tar:
            tar.add(copy, member)
            for rel in upload_files(uploads):
                try:
                    data = (uploads / rel).read_bytes()  # files are small (an upload limit) and never rewritten
                except FileNotFoundError:
                    continue  # removed a moment ago (a refused complaint's file)
                info = tarfile.TarInfo(f"{UPLOADS}/{rel.as_posix()}")
                info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(data))
                files.append({"path": rel.as_posix(), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            manifest = {
                "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "source": str(Path(db.path).resolve()) if db.engine is None else redact(db.path),
                "engine": "duckdb" if db.engine is None else pgbackup.ENGINE,
                "database": {"member": member, "size": copy.stat().st_size, "sha256": _sha256(copy)},
                "tables": tables, "uploads": files,
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(raw), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(raw))
        os.replace(part, target)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)
        part.unlink(missing_ok=True)


def summary(manifest: dict) -> dict:
    return {"tables": len(manifest["tables"]), "rows": sum(t["rows"] for t in manifest["tables"].values()),
            "files": len(manifest["uploads"]), "created": manifest["created_at"]}


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, size: int, sha: str, name: str) -> None:
    if not member.isfile() or member.size != size:
        raise BackupInvalid("ops.reason.file_differs", name=name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    src = tar.extractfile(member)
    with open(dest, "wb") as out:
        for block in iter(lambda: src.read(_CHUNK), b""):
            h.update(block)
            out.write(block)
    if dest.stat().st_size != size or h.hexdigest() != sha:
        raise BackupInvalid("ops.reason.file_differs", name=name)


def unpack(source: Path, staging: Path, db_member: str = DB_MEMBER) -> dict:
    """Unpacks `source` into `staging` and checks it against its manifest: every file's size and
    sha256, then every table's row count and checksum in the unpacked database (a DuckDB file;
    PostgreSQL's dump, `db_member` = pgbackup.DB_MEMBER, is checked once restored: restore_pg).
    Returns the manifest; raises BackupInvalid (staging then holds partial files: the caller
    removes it)."""
    try:
        with tarfile.open(source, "r:") as tar:
            members = {m.name: m for m in tar.getmembers()}  # reads to the end: a cut file fails here
            if MANIFEST not in members:
                raise BackupInvalid("ops.reason.no_manifest")
            try:
                manifest = json.loads(tar.extractfile(members[MANIFEST]).read().decode("utf-8"))
                db_entry, tables, files = manifest["database"], manifest["tables"], manifest["uploads"]
            except (ValueError, KeyError, TypeError):
                raise BackupInvalid("ops.reason.no_manifest") from None
            if db_member not in members:
                if db_entry.get("member") in (pgbackup.DB_MEMBER, DB_MEMBER):  # the other engine's
                    raise BackupInvalid("ops.reason.other_engine", found=manifest.get("engine", "duckdb"))
                raise BackupInvalid("ops.reason.file_differs", name=db_member)
            _extract(tar, members[db_member], staging / db_member, db_entry["size"], db_entry["sha256"], db_member)
            for f in files:
                rel = Path(f["path"])
                if rel.is_absolute() or ".." in rel.parts:
                    raise BackupInvalid("ops.reason.file_differs", name=f["path"])
                member = members.get(f"{UPLOADS}/{rel.as_posix()}")
                if member is None:
                    raise BackupInvalid("ops.reason.file_differs", name=f"{UPLOADS}/{f['path']}")
                _extract(tar, member, staging / UPLOADS / rel, f["size"], f["sha256"], f"{UPLOADS}/{f['path']}")
    except (tarfile.TarError, EOFError) as exc:
        raise BackupInvalid("ops.reason.unreadable", error=str(exc) or type(exc).__name__) from None
    if db_member != DB_MEMBER:  # PostgreSQL's dump: its tables are checked once restored
        return manifest
    snapshot = Database(str(staging / db_member), read_only=True)
    try:
        found = snapshot.table_fingerprints()
    finally:
        snapshot.close()
    for table in sorted(set(tables) | set(found)):
        if tables.get(table) != found.get(table):
            raise BackupInvalid("ops.reason.table_differs", table=table)
    return manifest


def ensure_free(db_path: Path) -> None:
    """Raises DatabaseInUse when another process holds the database file."""
    if db_path.exists():
        try:
            Database(str(db_path)).close()
        except DatabaseInUse:
            raise
        except Exception:  # a damaged file nobody holds (what a restore is for): it is replaced
            pass


def restore(source: Path, db_path: Path, uploads: Path) -> dict:
    """Replaces the database and the uploads folder with the backup's, after checking it all.
    Refused (DatabaseInUse) while any process holds the database, and (BackupInvalid) for a
    backup that does not match its manifest: in both cases nothing is touched. What is replaced
    is kept aside (…before-restore-<UTC time>), never deleted."""
    source, db_path, uploads = Path(source).resolve(), Path(db_path).resolve(), Path(uploads).resolve()
    ensure_free(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    staging = Path(tempfile.mkdtemp(prefix=".csm-restore-", dir=db_path.parent))
    try:
        manifest = unpack(source, staging)
        ensure_free(db_path)  # still nobody: the swap below takes a moment
        aside_db = None
        if db_path.exists():
            aside_db = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            os.replace(db_path, aside_db)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():
            os.replace(wal, aside_db.with_name(aside_db.name + ".wal") if aside_db else
                       wal.with_name(f"{wal.name}.before-restore-{stamp}"))
        os.replace(staging / DB_MEMBER, db_path)
        aside_uploads = _swap_uploads(staging, uploads, stamp)
        return {**summary(manifest), "db": str(db_path), "uploads": str(uploads),
                "aside_db": str(aside_db) if aside_db else None,
                "aside_uploads": str(aside_uploads) if aside_uploads else None}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_uploads(staging: Path, uploads: Path, stamp: str) -> Path | None:
    """The backup's uploads (unpacked into `staging`) in place of the live folder, which is kept
    aside as …before-restore-<stamp>; returns that folder, or None when there was none."""
    aside = None
    if uploads.exists():
        aside = uploads.with_name(f"{uploads.name}.before-restore-{stamp}")
        shutil.move(str(uploads), str(aside))
    restored = staging / UPLOADS
    if restored.exists():
        shutil.move(str(restored), str(uploads))
    else:
        uploads.mkdir(parents=True, exist_ok=True)
    return aside


def restore_pg(source: Path, url: str, uploads: Path) -> dict:
    """PostgreSQL: replaces the database of `url` and the uploads folder with the backup's. The tar
    is checked against its manifest, the dump restored into a new database and its tables compared
    with the manifest before anything live is touched (BackupInvalid: nothing changed); refused
    (pgbackup.SessionsOpen) while any other session uses the database. The replaced database is
    kept, renamed `<db>_replaced_<UTC time>`, the replaced uploads as …before-restore-<time>."""
    source, uploads = Path(source).resolve(), Path(uploads).resolve()
    name = pgbackup.parts(url)["dbname"]
    if pids := pgbackup.other_sessions(url, name):  # at once: no work for a refused restore
        raise pgbackup.SessionsOpen(name, pids)
    uploads.parent.mkdir(parents=True, exist_ok=True)
    stamp, when = pgbackup.stamp(), _stamp()
    staging = Path(tempfile.mkdtemp(prefix=".csm-restore-", dir=uploads.parent))
    try:
        manifest = unpack(source, staging, pgbackup.DB_MEMBER)
        aside_db = pgbackup.restore_database(url, staging / pgbackup.DB_MEMBER, manifest["tables"], stamp)
        aside_uploads = _swap_uploads(staging, uploads, when)
        return {**summary(manifest), "db": redact(url), "uploads": str(uploads), "aside_db": aside_db,
                "aside_uploads": str(aside_uploads) if aside_uploads else None}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["restore_pg", "BackupInvalid", "DatabaseInUse", "create", "restore", "summary", "unpack", "upload_files"]
