"""Backup and restore of the PostgreSQL store (CSM_DB_URL; docs/storage.md "Slice 3 and 5"), in
the same tar + manifest format as the DuckDB file's (csm/ops/backup.py):

- the database member is `pg_dump --format=custom` (Debian's PostgreSQL client tools), taken in
  the snapshot of a REPEATABLE READ transaction that also computes the manifest's per-table row
  counts and checksums with SQL (count(*) and the sum of the md5 of each row's text, in a fixed
  zone and output style), so the dump and its manifest describe the same moment while the app
  processes write;
- a restore checks the tar against the manifest, restores the dump with pg_restore into a new
  database beside the live one and compares its tables with the manifest — all before the live
  database is touched; then, refused while any other session uses the database, it renames the
  live database aside (`<db>_replaced_<time>`) and the restored one into its place.

The URL's password reaches the tools as PGPASSWORD, never on their command line."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

DB_MEMBER = "database.pgdump"
ENGINE = "postgresql"
_SETTINGS = ("SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, YMD'",
             "SET LOCAL IntervalStyle = 'postgres'", "SET LOCAL extra_float_digits = 1",
             "SET LOCAL bytea_output = 'hex'")


class ToolFailed(OSError):
    """pg_dump / pg_restore is missing or failed: its own message."""


class SessionsOpen(Exception):
    """Other sessions use the database: a restore is refused (nothing was changed)."""

    def __init__(self, db: str, pids: list[int]):
        super().__init__(f"{db}: {len(pids)} other session(s)")
        self.db, self.pids = db, pids


def tool(name: str) -> str:
    """pg_dump / pg_restore: Debian's PostgreSQL 15 first (the server's version), else PATH."""
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        if "/15/" in candidate:
            return candidate
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise ToolFailed(f"{name} not found (apt-get install -y postgresql-client-15)")
    return found


def parts(url: str) -> dict:
    from psycopg.conninfo import conninfo_to_dict

    return conninfo_to_dict(url)


def with_database(url: str, name: str) -> str:
    """The same server and role, another database (the maintenance database, a restore's new one)."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, dbname=name)


def _env(url: str) -> tuple[dict, list[str]]:
    """The environment and arguments of a client tool: the password as PGPASSWORD, not an argument."""
    p = parts(url)
    env = {**os.environ}
    if p.get("password"):
        env["PGPASSWORD"] = str(p["password"])
    args = []
    for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
        if p.get(key):
            args.append(f"{flag}={p[key]}")
    return env, args + ["--no-password"]


def _run(cmd: list[str], env: dict, timeout: float = 3600) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise ToolFailed(f"{Path(cmd[0]).name}: {(done.stderr or done.stdout).strip()[-500:]}")


def _connect(url: str, autocommit: bool = True):
    import psycopg

    return psycopg.connect(url, autocommit=autocommit)


def fingerprints(conn) -> dict[str, dict]:
    """Per table of the public schema: its row count and a checksum (the sum of the first 64 bits
    of each row's md5, as a number: independent of row order, changed by any value), in a fixed
    zone and output style so that the same rows give the same text on every server and session.
    Runs inside the caller's transaction (its snapshot)."""
    for stmt in _SETTINGS:
        conn.execute(stmt)
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    out = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        n, total = conn.execute(
            "SELECT count(*), coalesce(sum(('x' || left(md5(r::text), 16))::bit(64)::bigint::numeric), 0)::text "
            f"FROM public.{quoted} AS r").fetchone()
        out[table] = {"rows": int(n), "checksum": total}
    return out


def dump(url: str, target: Path) -> dict:
    """pg_dump --format=custom of the database into `target`, and the tables' fingerprints of the
    very snapshot the dump read (exported by a REPEATABLE READ transaction held open meanwhile)."""
    env, args = _env(url)
    conn = _connect(url)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        proc = subprocess.Popen([tool("pg_dump"), *args, "--format=custom", f"--snapshot={snapshot}",
                                 f"--file={target}", f"--dbname={parts(url)['dbname']}"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            tables = fingerprints(conn)  # while pg_dump reads the same snapshot
        finally:
            _out, err = proc.communicate(timeout=3600)
        conn.execute("COMMIT")
    finally:
        conn.close()
    if proc.returncode != 0:
        raise ToolFailed(f"pg_dump: {err.strip()[-500:]}")
    return tables


def other_sessions(url: str, name: str) -> list[int]:
    """The backends connected to database `name`, this one excepted (pg_stat_activity)."""
    admin = _connect(with_database(url, "postgres"))
    try:
        return [r[0] for r in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() ORDER BY pid",
            [name]).fetchall()]
    finally:
        admin.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def restore_database(url: str, dump_file: Path, tables: dict, stamp: str) -> str | None:
    """pg_restore of `dump_file` into a new database, checked against the manifest's `tables`;
    then the live database renamed aside and the new one put in its place. Returns the name the
    replaced database is kept under (None when there was none). Raises SessionsOpen (other
    sessions on the database) or BackupInvalid (the restored tables differ): the live database
    is then untouched and the new one dropped."""
    from csm.ops.backup import BackupInvalid

    name = parts(url)["dbname"]
    if pids := other_sessions(url, name):
        raise SessionsOpen(name, pids)
    fresh, aside = f"{name[:36]}_restoring_{stamp}", f"{name[:36]}_replaced_{stamp}"
    admin = _connect(with_database(url, "postgres"))
    try:
        live = admin.execute("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                             "WHERE datname = %s", [name]).fetchone()
        encoding, collate, ctype = live or ("UTF8", None, None)
        locale = f" LC_COLLATE = '{collate}' LC_CTYPE = '{ctype}'" if collate else ""
        admin.execute(f"CREATE DATABASE {_ident(fresh)} TEMPLATE template0 ENCODING '{encoding}'{locale}")
        try:
            env, args = _env(url)
            _run([tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={fresh}", str(dump_file)], env)
            conn = _connect(with_database(url, fresh), autocommit=False)
            try:
                found = fingerprints(conn)
                conn.rollback()
            finally:
                conn.close()
            for table in sorted(set(tables) | set(found)):
                if tables.get(table) != found.get(table):
                    raise BackupInvalid("ops.reason.table_differs", table=table)
            if live is not None:
                _carry_versions(url, name, fresh)
                if pids := other_sessions(url, name):
                    raise SessionsOpen(name, pids)
                try:
                    admin.execute(f"ALTER DATABASE {_ident(name)} RENAME TO {_ident(aside)}")
                except Exception as exc:  # a session connected since: the engine refuses the rename
                    if type(exc).__name__ == "ObjectInUse":
                        raise SessionsOpen(name, other_sessions(url, name) or [0]) from None
                    raise
            admin.execute(f"ALTER DATABASE {_ident(fresh)} RENAME TO {_ident(name)}")
        except BaseException:
            admin.execute(f"DROP DATABASE IF EXISTS {_ident(fresh)} WITH (FORCE)")
            raise
    finally:
        admin.close()
    return aside if live is not None else None


def _carry_versions(url: str, live: str, fresh: str) -> None:
    """The shared versions of the cached reads (csm_data_changes / csm_reference_changes) only move
    forward: the restored database continues past the replaced one's, so no process can take a
    cached read of the old data for a read of the restored data."""
    old = _connect(with_database(url, live))
    try:
        values = old.execute("SELECT (SELECT last_value FROM csm_data_changes), "
                             "(SELECT last_value FROM csm_reference_changes)").fetchone()
    except Exception:  # noqa: BLE001 (a database without them: nothing to carry)
        return
    finally:
        old.close()
    new = _connect(with_database(url, fresh))
    try:
        for seq, value in zip(("csm_data_changes", "csm_reference_changes"), values, strict=True):
            new.execute(f"SELECT setval('{seq}', greatest((SELECT last_value FROM {seq}), %s) + 1)", [int(value)])
    except Exception:  # noqa: BLE001
        pass
    finally:
        new.close()


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
