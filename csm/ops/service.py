"""The serving process's background work, started once per process (app.py → ui.start_services):
one daemon thread that
- beats the control channel's heartbeat and runs the requests of commands (backup, escalate,
  digest, ping) — each in a worker thread of its own, so a long backup does not stop the beat;
- escalates overdue complaints every config.escalate_every() seconds (the first run one interval
  after the start), whether or not anybody opens a page.
Escalation itself is conditional and yields to users (csm.complaints.steps.escalate_all)."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from csm import config
from csm.db import Database
from csm.ops import backup, control

log = logging.getLogger(__name__)

ESCALATION_LOCK = threading.Lock()  # one escalation run at a time in this process (timer or request)
BACKUP_LOCK = threading.Lock()
# PostgreSQL: one escalation run at a time across every process of the store (each app process's
# timer, cron's `python -m csm escalate`): a session advisory lock, taken with pg_try_advisory_lock
# (a run that finds it taken skips: the other run is doing the same work), freed by the engine
# when its holder's connection ends (a killed process holds nothing)
ESCALATION_ADVISORY_KEY = 0x63736D_0E5C  # "csm" + "esc"
CODE_GAP_AGE = timedelta(minutes=10)  # pg: a number never filed for this long is handed back


def escalate(db: Database, now: datetime | None = None) -> int | None:
    """One escalation run of the whole company (the scheduler: no signed-in user): the number of
    complaints escalated. On PostgreSQL also the numbers taken long ago and never filed go back to
    their year's pool (return_code_gaps), and the run is skipped (None) while another process's
    run holds the escalation lock. Each escalation is conditional besides (complaints/escalate):
    even two runs at once escalate a complaint once."""
    from csm.complaints import steps

    now = now or datetime.now(UTC)
    with ESCALATION_LOCK:
        if db.engine is None:
            return steps.escalate_all(db, now)
        with advisory_lock(db, ESCALATION_ADVISORY_KEY) as mine:
            if not mine:
                log.info("escalation skipped: another process is running it")
                return None
            return_code_gaps(db, now)
            return steps.escalate_all(db, now)


@contextmanager
def advisory_lock(db: Database, key: int):
    """PostgreSQL: yields whether this process took the session advisory lock `key` (not waiting
    for it); held on one native connection for the block, then freed."""
    conn = db.engine.connect()
    try:
        got = bool(conn.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0])
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute("SELECT pg_advisory_unlock(%s)", [key])
                conn.commit()
    finally:
        db.engine.release(conn)


def return_code_gaps(db: Database, now: datetime | None = None, age: timedelta = CODE_GAP_AGE) -> list:
    """PostgreSQL: hands back the complaint numbers below a year's counter that no complaint has,
    once a later number of that year was filed more than `age` ago (complaints/code_gaps_return_aged):
    a process between taking a number and filing it is never robbed of it. Run by `init` and by
    every escalation run (cron), not at a process start. Returns the (year, number) handed back."""
    cutoff = (now or datetime.now(UTC)) - age
    return db.transaction(lambda tx: tx.execute("complaints/code_gaps_return_aged", {"before": cutoff}))


def digest(db: Database, day: date | None = None) -> dict:
    from csm.actor import Actor
    from csm.dashboards import digest as daily

    day = day or Actor.system(db.timezone).today()
    written = daily.run(db, day)
    return {"day": day.isoformat(), "recipients": len(written),
            "folder": str(daily.digest_dir() / day.isoformat())}


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        return libc
    except (OSError, AttributeError):  # not glibc (or older than 2.33): no figures
        return None


def heap() -> dict:
    """glibc's heap (mallinfo2): what Python, pandas and Streamlit allocated from the C allocator,
    in use and free-but-kept (memory freed that the allocator has not given back to the system).
    DuckDB's own memory is not in it (its allocator is jemalloc, `duckdb_mb`)."""
    libc = _libc()
    if libc is None:
        return {}
    m = libc.mallinfo2()
    return {"heap_mb": round((m.arena + m.hblkhd) / 2**20, 1), "heap_used_mb": round((m.uordblks + m.hblkhd) / 2**20, 1),
            "heap_free_mb": round(m.fordblks / 2**20, 1), "py_blocks": sys.getallocatedblocks()}


_TRACE: dict = {}


def heap_trace(top: int = 12) -> dict:
    """Where the heap grows (a diagnosis for the soak, tools/soak.py --trace-from): the first call
    starts tracemalloc and keeps a snapshot; each later call answers the allocation sites (with
    their callers) of what was allocated since then and is still alive, largest first."""
    import tracemalloc

    if not tracemalloc.is_tracing():
        tracemalloc.start(int(os.environ.get("CSM_TRACE_FRAMES", "12")))
        _TRACE["base"] = tracemalloc.take_snapshot()
        return {"tracing": True, "sites": []}
    now = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    stats = now.compare_to(_TRACE["base"], "traceback")[:top]
    return {"tracing": True, "traced_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 1), "sites": [
        {"kb": round(st.size_diff / 1024, 1), "count": st.count_diff,
         "where": [f"{f.filename.rsplit('site-packages/', 1)[-1]}:{f.lineno}" for f in st.traceback[-8:]]}
        for st in stats]}


def memory(db: Database) -> dict:
    """Where this process's memory is (the soak's breakdown, tools/soak.py): its RSS, what DuckDB's
    buffer manager holds (a cache bounded by CSM_DB_MEMORY: the database's blocks read so far, and
    the working memory of running statements), and Python's live objects."""
    import gc
    import resource

    rss = None
    try:
        with open("/proc/self/statm") as f:
            rss = int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        pass
    from collections import Counter

    duck = db.memory_bytes() if db.engine is None else {}
    objects = gc.get_objects()
    kinds = Counter(type(o).__name__ for o in objects)
    return {"rss_mb": None if rss is None else round(rss, 1),
            "duckdb_mb": round(sum(duck.values()) / 2**20, 1),
            "duckdb_tags_mb": {tag: round(n / 2**20, 1) for tag, n in duck.items()},
            "py_objects": len(objects), "py_kinds": dict(kinds.most_common(12)), **heap()}


def run_request(db: Database, command: str, args: dict) -> dict:
    """What a command asked for, done here in the serving process."""
    if command == "ping":
        return {"pid": os.getpid()}
    if command == "memory":
        return memory(db)
    if command == "heap_trace":
        return heap_trace()
    if command == "escalate":
        return {"escalated": escalate(db) or 0}
    if command == "backup":
        with BACKUP_LOCK:
            manifest = backup.create(db, Path(args["file"]), config.uploads_dir())
        return {**backup.summary(manifest), "file": str(Path(args["file"]).resolve()),
                "size": Path(args["file"]).stat().st_size}
    if command == "digest":
        return digest(db, date.fromisoformat(args["date"]) if args.get("date") else None)
    raise ValueError(f"unknown command {command!r}")


class Service:
    def __init__(self, db: Database, escalate_every: float | None = None, beat_every: float = control.BEAT_EVERY):
        self.db = db
        self.escalate_every = config.escalate_every() if escalate_every is None else escalate_every
        self.beat_every = beat_every
        # the control channel is the DuckDB file's (one process holds it); on PostgreSQL every
        # command runs itself against the server, and this service only runs the escalation timer
        self.spool = control.folder(db.path) if db.engine is None else None
        self.escalations = {"runs": 0, "escalated": 0, "last_at": None, "last_error": None}
        self.started = time.time()
        self._stop = threading.Event()
        self._escalating = threading.Lock()  # held while an escalation run of the timer goes on
        self._thread = threading.Thread(target=self._loop, name="csm-ops-service", daemon=True)

    def start(self) -> Service:
        self.beat()  # live from the moment start() returns: a command asking right away finds it
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        beat = control.read_json(self.spool / control.HEARTBEAT) if self.spool is not None else None
        if beat and beat.get("pid") == os.getpid():
            (self.spool / control.HEARTBEAT).unlink(missing_ok=True)

    def alive(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def _gone(self) -> bool:
        """The database file (and its folder) was removed under the serving process: nothing left to
        watch (a test's temporary folder, a moved installation); restore refuses while serving."""
        return self.db.engine is None and self.db.path != ":memory:" and not Path(self.db.path).exists()

    def beat(self) -> None:
        if self.spool is None:  # PostgreSQL: nobody asks over a channel
            return
        control.write_json(self.spool / control.HEARTBEAT, {
            "pid": os.getpid(), "db": str(Path(self.db.path).resolve()), "beat": time.time(),
            "started": self.started, "escalate_every": self.escalate_every, "escalations": self.escalations})

    def _loop(self) -> None:
        next_escalation = time.monotonic() + self.escalate_every
        while True:
            if self._gone():
                log.info("database %s is gone: the ops service stops", self.db.path)
                return
            try:
                self.beat()
                for request in control.pending(self.spool) if self.spool is not None else ():
                    taken = control.claim(request)
                    if taken is not None:
                        threading.Thread(target=self._serve, args=(taken,), daemon=True,
                                         name="csm-ops-request").start()
                if time.monotonic() >= next_escalation and not self._escalating.locked():
                    next_escalation = time.monotonic() + self.escalate_every
                    # in a thread of its own: a long run (hundreds late after a stop) must not stop
                    # the heartbeat, or a command would think nobody serves and be refused
                    threading.Thread(target=self._escalate, daemon=True, name="csm-ops-escalation").start()
            except Exception:  # never let the background work die: log it, go on
                log.exception("ops service loop")
            if self._stop.wait(self.beat_every):
                return

    def _escalate(self) -> None:
        if not self._escalating.acquire(blocking=False):
            return  # the previous run is still going: this one is skipped
        try:
            n = escalate(self.db)
            if n is None:  # PostgreSQL: another process's run was under way
                self.escalations["skipped"] = self.escalations.get("skipped", 0) + 1
                return
            self.escalations.update(runs=self.escalations["runs"] + 1, escalated=self.escalations["escalated"] + n,
                                    last_at=time.time(), last_error=None)
            if n:
                log.info("escalated %s overdue complaint(s)", n)
        except Exception as exc:
            self.escalations["last_error"] = f"{type(exc).__name__}: {exc}"
            log.exception("escalation run failed")
        finally:
            self._escalating.release()

    def _serve(self, taken: Path) -> None:
        request = control.read_json(taken) or {}
        try:
            result = run_request(self.db, request.get("command", ""), request.get("args") or {})
            reply = {"ok": True, "result": result}
        except Exception as exc:
            log.exception("control request %s failed", request.get("command"))
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        control.answer(taken, reply)


_lock = threading.Lock()
_current: Service | None = None


def ensure(db: Database) -> Service:
    """The process's one service, for this database (started on the first call; a call with
    another database — tests opening one copy after another — stops the old one first)."""
    global _current
    with _lock:
        if _current is not None and _current.db is db and _current.alive():
            return _current
        if _current is not None:
            _current.stop()
        _current = Service(db).start()
        return _current


def current() -> Service | None:
    return _current


def shutdown() -> None:
    """Stops the process's service (its heartbeat thread writes beside the database): before the
    folder holding a copy is removed (the bench, tests), or a writer would race the removal."""
    global _current
    with _lock:
        if _current is not None:
            _current.stop()
        _current = None
