"""The control channel: a spool folder beside the database (config.control_dir) through which a
command asks the process that serves the database to do the work (it alone can open the file).

  alive.json                 the serving process's heartbeat: pid, database, time of its last beat
  <id>.request.json          a command's request, written whole (a temporary name, then renamed)
  <id>.taken.json            the same file, claimed by the serving process (renamed: one taker)
  <id>.response.json         the answer, written whole: {"ok": true, "result": ...} or an error

The folder is made private to the operating-system user (0700): whoever may write it may ask."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from csm import config

HEARTBEAT = "alive.json"
BEAT_EVERY = 0.5          # seconds between two heartbeats (and two looks at the spool)
STALE_AFTER = 15.0        # a heartbeat older than this: nobody serves
CLAIM_TIMEOUT = 10.0      # a request not taken within this: nobody answers


class NoServer(Exception):
    """No live serving process answers on the channel of this database."""


def folder(db_path: str) -> Path:
    path = config.control_dir(db_path)
    path.mkdir(parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def write_json(path: Path, data: dict) -> None:
    """Whole or not at all: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def server(db_path: str) -> dict | None:
    """The heartbeat of the process serving this database, or None when none is live."""
    beat = read_json(folder(db_path) / HEARTBEAT)
    if not beat or not isinstance(beat.get("pid"), int):
        return None
    if time.time() - float(beat.get("beat", 0)) > STALE_AFTER or not _alive(beat["pid"]):
        return None
    if Path(beat.get("db", "")).resolve() != Path(db_path).resolve():
        return None
    return beat


def ask(db_path: str, command: str, args: dict | None = None, timeout: float = 6 * 3600.0,
        claim_timeout: float = CLAIM_TIMEOUT) -> tuple[dict, dict]:
    """Asks the serving process to run `command` (backup, escalate, digest, ping); waits for its
    answer while its heartbeat goes on. Returns (answer, heartbeat); raises NoServer when no live
    process takes the request."""
    beat = server(db_path)
    if beat is None:
        raise NoServer()
    spool = folder(db_path)
    rid = f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:12]}"
    request = spool / f"{rid}.request.json"
    response = spool / f"{rid}.response.json"
    write_json(request, {"id": rid, "command": command, "args": args or {}, "db": str(Path(db_path).resolve()),
                         "asked_at": time.time(), "by_pid": os.getpid()})
    start = time.monotonic()
    while request.exists():
        if time.monotonic() - start > claim_timeout:
            request.unlink(missing_ok=True)
            if response.exists():  # taken at the last moment after all
                break
            raise NoServer()
        time.sleep(0.05)
    while True:
        answer = read_json(response)
        if answer is not None:
            response.unlink(missing_ok=True)
            return answer, beat
        if server(db_path) is None or time.monotonic() - start > timeout:
            raise NoServer()
        time.sleep(0.1)


def pending(spool: Path) -> list[Path]:
    return sorted(spool.glob("*.request.json"))


def claim(request: Path) -> Path | None:
    """The serving side takes a request (a rename: if two looked, one gets it)."""
    taken = request.with_name(request.name.replace(".request.json", ".taken.json"))
    try:
        os.replace(request, taken)
    except FileNotFoundError:
        return None
    return taken


def answer(taken: Path, reply: dict) -> None:
    write_json(taken.with_name(taken.name.replace(".taken.json", ".response.json")), reply)
    taken.unlink(missing_ok=True)
