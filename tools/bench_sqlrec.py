"""The statements a rerun issues, recorded inside the running server, and timed alone afterwards.

The benchmark starts the server as `python -m tools.bench_sqlrec run serve.py --server.port …`: this
module wraps the query methods of csm.db (Database.df / rows, Tx.execute / rows; one() and value()
go through rows()) so that each call appends (thread, method, name, params, ms) to the file named
by CSM_BENCH_SQL_LOG, then hands over to Streamlit's own command line. Nothing else changes: the
app, its settings and pages are the product's. A record costs a few microseconds (a pickle and a
write), well under the noise of a rerun.

The benchmark client notes the file's size before it asks for a rerun and after the rerun has
finished, so the records in between are that rerun's statements (one client at a time). After the
server has stopped, `time_alone` runs each distinct statement again on the same file in the
benchmark's own process (a separate connection; writes inside a transaction that is rolled back)
and takes the median of its runs: the raw time of the page's own SQL, to compare with the rerun.
"""

from __future__ import annotations

import os
import pickle
import statistics
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

LOG_ENV = "CSM_BENCH_SQL_LOG"
MEMRAY_ENV = "CSM_MEMRAY"  # a memray capture file: the server tracks its allocations into it
WRAPPED = (("Database", "df"), ("Database", "rows"), ("Tx", "execute"), ("Tx", "rows"))


@dataclass(frozen=True)
class Call:
    thread: str
    method: str   # "Database.df" | "Database.rows" | "Tx.execute" | "Tx.rows"
    name: str     # the named statement, e.g. "complaints/worklist"
    params: object
    ms: float     # its time inside the server, during the rerun

    @property
    def key(self) -> tuple:
        try:
            blob = pickle.dumps(self.params, protocol=5)
        except Exception:  # pragma: no cover - unpicklable parameters are recorded as None
            blob = b""
        return (self.method, self.name, blob)


def install(path: str) -> None:
    """Wrap csm.db's query methods to append each call to `path` (length-prefixed pickles)."""
    from csm import db as dbm

    out = open(path, "ab", buffering=0)  # noqa: SIM115 - open for the life of the server
    lock = threading.Lock()

    def wrap(cls, meth: str):
        original = getattr(cls, meth)
        label = f"{cls.__name__}.{meth}"

        def recorded(self, name, params=None):
            start = time.perf_counter()
            try:
                return original(self, name, params)
            finally:
                ms = (time.perf_counter() - start) * 1000
                try:
                    blob = pickle.dumps((threading.current_thread().name, label, name, params, ms), protocol=5)
                except Exception:
                    blob = pickle.dumps((threading.current_thread().name, label, name, None, ms), protocol=5)
                with lock:
                    out.write(len(blob).to_bytes(4, "little") + blob)

        recorded.__wrapped__ = original
        setattr(cls, meth, recorded)

    for cls_name, meth in WRAPPED:
        wrap(getattr(dbm, cls_name), meth)


def offset(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read(path: str, start: int = 0, end: int | None = None) -> list[Call]:
    """The calls recorded in [start, end) of the log."""
    calls = []
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(None if end is None else max(0, end - start))
    pos = 0
    while pos + 4 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "little")
        if pos + 4 + size > len(data):
            break  # a record being written at `end`
        calls.append(Call(*pickle.loads(data[pos + 4:pos + 4 + size])))
        pos += 4 + size
    return calls


class _Rollback(Exception):
    pass


def _run(db, call: Call) -> None:
    cls, meth = call.method.split(".")
    if cls == "Database":
        getattr(db, meth)(call.name, call.params)
        return

    def work(tx):
        getattr(tx, meth)(call.name, call.params)
        raise _Rollback  # a write is timed, then undone

    try:
        db.transaction(work, retries=0)
    except _Rollback:
        pass


def time_alone(db, calls: Iterable[Call], runs: int = 10) -> dict[tuple, float | str]:
    """key -> median ms of `runs` executions after one warm-up, or the error text."""
    out: dict[tuple, float | str] = {}
    for call in calls:
        if call.key in out:
            continue
        try:
            _run(db, call)  # warm-up: DuckDB's buffers, the statement's first plan
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                _run(db, call)
                samples.append((time.perf_counter() - start) * 1000)
            out[call.key] = statistics.median(samples)
        except Exception as exc:  # e.g. a statement that needs a row its transaction wrote first
            out[call.key] = f"{type(exc).__name__}: {exc}"[:200]
    return out


def main(argv: list[str]) -> int:
    """`python -m tools.bench_sqlrec run serve.py …`: Streamlit's command line, with the recorder."""
    path = os.environ.get(LOG_ENV)
    if path:
        install(path)
    trace = os.environ.get(MEMRAY_ENV)
    if trace:  # diagnosis (tools/memgrowth.py): every allocation, C ones too, with its stack
        import atexit

        import memray

        tracker = memray.Tracker(trace, native_traces=True, memory_interval_ms=1000)
        tracker.__enter__()
        atexit.register(tracker.__exit__, None, None, None)
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
