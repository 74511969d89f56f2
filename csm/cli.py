"""Command-line entry: initialise/migrate, users, backup and restore, scheduler jobs.

The demo data is a developer tool outside the product: python -m tools.demo (make run does it)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from csm import config


def _open(args):
    from csm.db import open_database

    return open_database(args.db)


def cmd_init(args) -> int:
    from csm.db import Database, migrate

    db = Database(args.db)
    applied = migrate(db)
    print(f"database {db.path}: applied migrations {applied or 'none (up to date)'}")
    db.close()
    return 0


def cmd_create_user(args) -> int:
    from csm.errors import UserError, ValidationFailed
    from csm.org import users

    password = args.password or getpass.getpass("password: ")
    db = _open(args)
    try:
        users.create(db, "cli", args.username, args.name, password, args.role, args.scope_kind,
                     args.scope_id, lang=args.lang)
    except ValidationFailed as exc:
        print("\n".join(exc.messages()), file=sys.stderr)
        return 2
    except UserError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    finally:
        db.close()
    print(f"user {args.username} created")
    return 0


# ---- ops: the commands that also work while the app serves (docs/operations.md) -------------
def _db_path(args) -> str:
    return str(Path(args.db or config.db_path()).resolve())


def _say(key: str, **params) -> None:
    from csm.i18n import t

    print(t(key, **params))


def _refuse(key: str, code: int = 3, **params) -> int:
    """One line on stderr and the exit code: 3 the database is busy, 2 the input is wrong."""
    from csm.i18n import t

    print(t(key, **params), file=sys.stderr)
    return code


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _here_or_served(args, command: str, args_for_server: dict, here):
    """Runs `here(db)` on the database opened by this command; when another process holds it,
    asks that process over the control channel (csm.ops.control). Returns (result, who) or an
    exit code after the one line that says why it could not run."""
    from csm.db import DatabaseInUse
    from csm.i18n import t
    from csm.ops import control

    path = _db_path(args)
    try:
        db = _open(args)
    except DatabaseInUse as busy:
        try:
            answer, beat = control.ask(path, command, args_for_server)
        except control.NoServer:
            return _refuse("ops.no_answer", db=path, pid=busy.pid or "?", command=command)
        if not answer.get("ok"):
            return _refuse("ops.server_failed", pid=beat["pid"], command=command, error=answer.get("error"))
        return answer["result"], t("ops.by_server", pid=beat["pid"])
    try:
        return here(db), t("ops.by_cli")
    finally:
        db.close()


def cmd_backup(args) -> int:
    """The database and the uploads folder, consistent, into one tar file with a manifest; done
    by the serving process when there is one."""
    from csm.ops import backup

    target = Path(args.file).resolve()

    def here(db):
        manifest = backup.create(db, target, config.uploads_dir(), quiescent=True)  # this command alone holds it
        return {**backup.summary(manifest), "file": str(target), "size": target.stat().st_size}

    try:
        out = _here_or_served(args, "backup", {"file": str(target)}, here)
    except OSError as exc:  # the target folder not writable, the disk full
        return _refuse("ops.backup.failed", 2, error=f"{type(exc).__name__}: {exc}")
    if isinstance(out, int):
        return out
    result, who = out
    _say("ops.backup.done", file=result["file"], tables=result["tables"], rows=result["rows"],
         files=result["files"], size=_size(result["size"]), who=who)
    return 0


def cmd_restore(args) -> int:
    """Refused while any process holds the database; the backup is checked against its manifest
    before anything is touched; what it replaces is kept aside."""
    from csm.db import DatabaseInUse
    from csm.i18n import t
    from csm.ops import backup

    source = Path(args.file)
    if not source.is_file():
        return _refuse("ops.restore.missing", 2, file=source)
    path = _db_path(args)
    try:
        done = backup.restore(source, Path(path), config.uploads_dir())
    except DatabaseInUse as busy:
        return _refuse("ops.restore.in_use", db=path, pid=busy.pid or "?")
    except backup.BackupInvalid as bad:
        return _refuse("ops.restore.invalid", 2, file=source, reason=t(bad.reason, **bad.params))
    none = t("ops.none")
    _say("ops.restore.done", file=source, created=done["created"], tables=done["tables"], rows=done["rows"],
         files=done["files"], db=done["db"], uploads=done["uploads"], aside_db=done["aside_db"] or none,
         aside_uploads=done["aside_uploads"] or none)
    return 0


def cmd_escalate(args) -> int:
    """For a scheduler (cron every few minutes): escalate overdue complaints one level. While the
    app serves, its own timer does it too; this asks it to run now."""
    from csm.ops import service

    out = _here_or_served(args, "escalate", {}, lambda db: {"escalated": service.escalate(db)})
    if isinstance(out, int):
        return out
    result, who = out
    _say("ops.escalate.done", n=result["escalated"], who=who)
    return 0


def cmd_digest(args) -> int:
    """For a scheduler (cron once a day): each manager's and supervisor's digest of the day."""
    from datetime import date

    from csm.ops import service

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        return _refuse("ops.bad_date", 2, value=repr(args.date))
    out = _here_or_served(args, "digest", {"date": args.date}, lambda db: service.digest(db, day))
    if isinstance(out, int):
        return out
    result, who = out
    _say("ops.digest.done", day=result["day"], n=result["recipients"], folder=result["folder"], who=who)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m csm", description="物业客户服务管理系统 — command line",
                                epilog="demo data (a developer tool, not a product command): python -m tools.demo --help")
    p.add_argument("--db", default=None, help="DuckDB file (default: $CSM_DB_PATH or data/csm.duckdb)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="create or migrate the database")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("create-user", help="create a user")
    s.add_argument("username")
    s.add_argument("--name", required=True, help="display name")
    s.add_argument("--role", required=True, choices=["clerk", "supervisor", "manager", "head_office", "admin"])
    s.add_argument("--scope-kind", default="group", choices=["group", "branch", "project"])
    s.add_argument("--scope-id", type=int, default=None)
    s.add_argument("--lang", default="zh", choices=["zh", "en"])
    s.add_argument("--password", default=None, help="asked for when omitted")
    s.set_defaults(func=cmd_create_user)

    s = sub.add_parser("backup", help="database + uploads into one tar file with a manifest (also while the app serves)")
    s.add_argument("file")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="replace database + uploads with a checked backup (refused while in use)")
    s.add_argument("file")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("escalate", help="escalate overdue complaints one level (run from a scheduler)")
    s.set_defaults(func=cmd_escalate)

    s = sub.add_parser("digest", help="write each manager's daily digest (run once a day from a scheduler)")
    s.add_argument("--date", default=None, help="the day, YYYY-MM-DD (default: today in the company's zone)")
    s.set_defaults(func=cmd_digest)
    return p


def main(argv: list[str] | None = None) -> int:
    from csm.db import DatabaseInUse

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DatabaseInUse as busy:  # any command: one line, never the engine's traceback
        return _refuse("ops.in_use", db=busy.path, pid=busy.pid or "?", command=args.command)
