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
    """Create or migrate the database. --production: also the one administrator (password asked
    for twice, or generated with --generate-password and printed once), the setting `production`
    (flagged or demo passwords are changed at the first login), no demo data; refused when the
    database already has users."""
    from csm.db import Database, migrate

    db = Database(args.db)
    try:
        applied = migrate(db)
        from csm.storage.pg import redact  # pg: a CSM_DB_URL's password is not printed

        print(f"database {redact(db.path)}: applied migrations {applied or 'none (up to date)'}")
        _return_code_gaps(db)  # pg: not at a process start (docs/storage.md, slice 3)
        if getattr(args, "production", False):
            return _init_production(db, args)
    finally:
        db.close()
    return 0


def _create_user(db, *args, **kwargs) -> int:
    """users.create for the command line: 0, or 2 with the refusal's messages on stderr."""
    from csm.errors import UserError, ValidationFailed
    from csm.org import users

    try:
        users.create(db, "cli", *args, **kwargs)
    except ValidationFailed as exc:
        print("\n".join(exc.messages()), file=sys.stderr)
        return 2
    except UserError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    return 0


def _init_production(db, args) -> int:
    import secrets

    from csm.org import passwords, users

    if (db.value("users/count") or 0) > 0:
        print("refused: the database already has users (init --production sets up an empty database; "
              "add accounts with create-user)", file=sys.stderr)
        return 2
    username = users.normalise(args.admin)
    if not username:
        print("init --production needs --admin USERNAME", file=sys.stderr)
        return 2
    generated = bool(args.generate_password)
    if generated:
        password = secrets.token_urlsafe(12)
        while not passwords.acceptable(password, username):  # practically never
            password = secrets.token_urlsafe(12)
    else:
        password = getpass.getpass(f"password for {username}: ")
        if getpass.getpass("again: ") != password:
            print("refused: the two passwords differ", file=sys.stderr)
            return 2
    refused = _create_user(db, username, args.name, password, "admin", "group",
                           must_change=generated)  # typed by the administrator: kept
    if refused:
        return refused
    db.transaction(lambda tx: tx.execute("admin/setting_upsert", {"key": "production", "value": "1"}))
    print(f"production mode; administrator {username} created (no demo data)")
    if generated:
        print(f"generated password (shown once, to be changed at the first login): {password}")
    return 0


def cmd_create_user(args) -> int:
    password = args.password or getpass.getpass("password: ")
    db = _open(args)
    try:
        refused = _create_user(db, args.username, args.name, password, args.role, args.scope_kind,
                               args.scope_id, lang=args.lang)
    finally:
        db.close()
    if refused:
        return refused
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
        return here(db), t("ops.by_cli" if db.engine is None else "ops.by_cli_pg")
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
    if url := _db_url(args):  # PostgreSQL: pg_restore into a new database, the live one kept aside
        return _restore_pg(source, url)
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


def _db_url(args) -> str | None:
    """pgops: the PostgreSQL URL this command works on (--db URL, else CSM_DB_URL unless --db names
    a file), or None for the DuckDB file."""
    from csm.storage.pg import is_url

    if args.db:
        return args.db if is_url(args.db) else None
    return config.db_url()


def _restore_pg(source: Path, url: str) -> int:
    from csm.i18n import t
    from csm.ops import backup, pgbackup
    from csm.storage.pg import redact

    try:
        done = backup.restore_pg(source, url, config.uploads_dir())
    except pgbackup.SessionsOpen as busy:
        return _refuse("ops.restore.pg_in_use", db=busy.db, n=len(busy.pids), pids=", ".join(map(str, busy.pids)))
    except backup.BackupInvalid as bad:
        return _refuse("ops.restore.invalid", 2, file=source, reason=t(bad.reason, **bad.params))
    except OSError as exc:  # pg_restore missing or failed, the uploads folder not writable
        return _refuse("ops.backup.failed", 2, error=f"{type(exc).__name__}: {exc}")
    none = t("ops.none")
    _say("ops.restore.done", file=source, created=done["created"], tables=done["tables"], rows=done["rows"],
         files=done["files"], db=redact(url), uploads=done["uploads"], aside_db=done["aside_db"] or none,
         aside_uploads=done["aside_uploads"] or none)
    return 0


def _return_code_gaps(db) -> None:
    """pgops: PostgreSQL only — numbers taken long ago and never filed back to their year's pool."""
    if db.engine is None:
        return
    from csm.ops import service

    returned = service.return_code_gaps(db)
    if returned:
        _say("ops.codes.returned", n=len(returned),
             numbers=", ".join(f"TS-{y}-{n:06d}" for y, n in sorted(returned)[:10]) + (" …" if len(returned) > 10 else ""))


def cmd_escalate(args) -> int:
    """For a scheduler (cron every few minutes): escalate overdue complaints one level. While the
    app serves, its own timer does it too; this asks it to run now."""
    from csm.ops import service

    out = _here_or_served(args, "escalate", {}, lambda db: {"escalated": service.escalate(db)})
    if isinstance(out, int):
        return out
    result, who = out
    if result["escalated"] is None:  # PostgreSQL: another process's run holds the escalation lock
        _say("ops.escalate.skipped", who=who)
        return 0
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


def cmd_import(args) -> int:
    """Import a file into a target as USER (the same checks as the import screen): the report row
    by row; exit 1 when rows are rejected (nothing applied), 2 when the file or options are refused."""
    from csm import import_targets
    from csm.actor import Actor
    from csm.errors import UserError, ValidationFailed
    from csm.i18n import set_lang, t
    from csm.importing import commands, reads
    from csm.importing.mapping import Mapping
    from csm.org import users

    path = Path(args.file)
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    db = _open(args)
    try:
        user = users.get(db, args.user)
        if user is None or not user.get("active", True):
            print(f"no such active user: {args.user}", file=sys.stderr)
            return 2
        actor = Actor.of(user, tz=db.timezone)
        set_lang(actor.lang)
        try:
            target = import_targets.get(args.target)
            base = reads.saved_mapping(db, actor, target, args.mapping) if args.mapping else Mapping()
            base.encoding = args.encoding or base.encoding
            base.delimiter = (args.delimiter.replace("\\t", "\t") if args.delimiter else None) or base.delimiter
            base.sheet = args.sheet or base.sheet
            base.date_format = args.date_format or base.date_format
            found = reads.inspect(db, actor, target, path.read_bytes(), path.name, base)
            report = reads.dry_run(db, actor, target, found.sheet, found.mapping)
            for row in reads.report_rows(db, actor, target, report).itertuples():
                print("\t".join(str(x) for x in (row.line, row.action, row.column, row.reason)).rstrip())
            print(t("imports.cli.summary", name=path.name, total=report.total, add=report.count("add"),
                    update=report.count("update"), same=report.count("same"), reject=report.count("reject")))
            if report.rejected:
                print(t("imports.cli.refused"), file=sys.stderr)
                return 1
            if args.dry_run:
                print(t("imports.cli.dry_run"))
                return 0
            done = commands.apply(db, actor, target, found.sheet, found.mapping, args.mapping)
            print(t("imports.applied", name=path.name, add=done.count("add"), update=done.count("update"),
                    same=done.count("same"), id=done.batch_id) if done.applied else t("imports.nothing_to_do"))
            return 0
        except ValidationFailed as exc:
            print(exc.message() + "\n" + "\n".join(exc.messages()), file=sys.stderr)
            return 1
        except UserError as exc:
            print(exc.message(), file=sys.stderr)
            return 2
    finally:
        db.close()
def cmd_export(args) -> int:
    """For a scheduler: one list or report of a scope and period as .xlsx or .csv, written by the
    same writer and read by the same reads as the page's download (csm.exports)."""
    from datetime import date

    from csm import exports
    from csm.errors import PermissionDenied, UserError
    from csm.i18n import speaking

    def refuse(text: str) -> int:
        print(f"export: {text}", file=sys.stderr)
        return 2

    try:
        first = date.fromisoformat(args.date_from) if args.date_from else None
        last = date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError:
        return refuse(f"--from/--to must be YYYY-MM-DD, not {args.date_from or ''!r} / {args.date_to or ''!r}")
    if first and last and first > last:
        return refuse(f"--from {first} is after --to {last}")
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in ("", f".{args.format}"):
        return refuse(f"--out {out} does not end in .{args.format} (--format {args.format})")
    try:
        db = _open(args)
    except Exception as exc:  # another process holds the database (DuckDB: one writing process)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return refuse(f"cannot open the database {args.db or config.db_path()} ({reason})")
    try:
        with speaking(args.lang):
            scope = exports.parse_scope(db, args.scope)
            actor = exports.actor_for(db, args.name, scope, args.user)
            options = {"wave_code": args.wave, "level": args.level, "focus": args.focus}
            table = exports.build(args.name, db, actor, exports.Request(first, last, options))
            data = exports.write(table, args.format, db.timezone)
    except PermissionDenied:
        return refuse(f"{args.user or 'the scheduler'} may not export {args.name} at {args.scope}")
    except UserError as exc:
        with speaking(args.lang):
            return refuse(exc.message())
    except ValueError as exc:
        return refuse(f"bad value: {exc}")
    finally:
        db.close()
    target = out if out is not None and out.suffix else (out or Path.cwd()) / exports.file_name(table, args.format)
    if out is not None and not out.suffix:
        target = out / exports.file_name(table, args.format)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"export {args.name} ({args.scope}, {len(table)} rows) written to {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m csm", description="物业客户服务管理系统 — command line",
                                epilog="demo data (a developer tool, not a product command): python -m tools.demo --help")
    p.add_argument("--db", default=None, help="DuckDB file (default: $CSM_DB_PATH or data/csm.duckdb)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="create or migrate the database")
    s.add_argument("--production", action="store_true",
                   help="production start: one administrator, no demo data (refused if users exist)")
    s.add_argument("--admin", default=None, help="with --production: the administrator's username")
    s.add_argument("--name", default="系统管理员", help="with --production: the administrator's display name")
    s.add_argument("--generate-password", action="store_true",
                   help="with --production: generate the password and print it once (else asked for)")
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

    s = sub.add_parser("import", help="import a file (xlsx, xls, csv) into a target, as a user; exit 1 on rejected rows")
    s.add_argument("target", help="households (and the targets of csm/import_targets.py)")
    s.add_argument("file")
    s.add_argument("--user", required=True, help="the user the import is made as (its role and scope apply)")
    s.add_argument("--mapping", default=None, help="a mapping saved on the import screen")
    s.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    s.add_argument("--encoding", default=None, help="csv: utf-8, utf-8-sig, gb18030, gbk … (default: detected)")
    s.add_argument("--delimiter", default=None, help="csv: , ; | or \\t (default: detected)")
    s.add_argument("--sheet", default=None, help="xlsx/xls: the sheet (default: the first)")
    s.add_argument("--date-format", default=None, choices=["ymd", "mdy", "dmy"], help="default: suggested from the file")
    s.set_defaults(func=cmd_import)
    from csm.exports import EXPORTS  # ---- exports ----
    listed = ", ".join(f"{n} (period: {e.period or 'unused'})" for n, e in EXPORTS.items())
    s = sub.add_parser("export", help="write one list or report as .xlsx or .csv (run from a scheduler): "
                       + ", ".join(EXPORTS),
                       description=f"Exportable: {listed}. Without --user the export runs as the scheduler: "
                                   "the scope given and the role the export is made for (head office; revisits: "
                                   "manager; audit and users: admin). At group scope no resident's name, phone "
                                   "or typed unit is written.")
    s.add_argument("name", choices=list(EXPORTS), metavar="TABLE-OR-REPORT", help="one of: " + ", ".join(EXPORTS))
    s.add_argument("--scope", default="group", help="group | branch:CODE | project:CODE (default group)")
    s.add_argument("--from", dest="date_from", default=None, help="first day YYYY-MM-DD (default: 1st of this month)")
    s.add_argument("--to", dest="date_to", default=None, help="last day YYYY-MM-DD, included (default: today)")
    s.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
    s.add_argument("--out", default=None, help="file or folder to write (default: the export's name in this folder)")
    s.add_argument("--user", default=None, help="export as this user (their role; the scope must lie within theirs)")
    s.add_argument("--wave", default=None, help="survey wave code (survey_forms, survey_statistics, opinion_overview; "
                                                "default: the latest started wave)")
    s.add_argument("--level", default="item", choices=["branch", "project", "dimension", "item"],
                   help="survey_statistics grouping (default item)")
    s.add_argument("--focus", default="on_time_rate", help="comparison: the indicator the league is ranked on")
    s.add_argument("--lang", default="zh", choices=["zh", "en"], help="headers' language (default zh)")
    s.set_defaults(func=cmd_export)
    s.error = _one_line_error("export")
    return p


def _one_line_error(command: str):
    """A bad argument of a scheduler's command: one line on stderr, exit status 2 (no usage block)."""
    def error(message: str):
        print(f"{command}: {message} (see python -m csm {command} --help)", file=sys.stderr)
        sys.exit(2)
    return error


def main(argv: list[str] | None = None) -> int:
    from csm.db import DatabaseInUse

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DatabaseInUse as busy:  # any command: one line, never the engine's traceback
        return _refuse("ops.in_use", db=busy.path, pid=busy.pid or "?", command=args.command)
