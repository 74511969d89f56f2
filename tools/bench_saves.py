"""Filing complaints: one writer, then W writer threads at once on one Database (as the server's
sessions share it). Per save: the command's call, transaction and retries included. Afterwards:
every save is in the database, and the codes are unique and gap-free (one counter per year).
Also the process's CPU time per save (`cpu_ms`: this process's own work, much less disturbed by
the rest of a shared machine than the wall times) and, with the group commit (csm/db.py
GroupCommit), how many shared transactions held more than one filing (`batches`)."""

from __future__ import annotations

import re
import threading
import time

from tools.bench_server import summary


def _code_number(code: str) -> tuple[str, int]:
    m = re.match(r"^(.*?)(\d+)$", code)
    return (m.group(1), int(m.group(2))) if m else (code, -1)


def _check(db, saved: list[dict]) -> dict:
    from csm.actor import Actor
    from csm.complaints import reads
    from csm.org import users

    hq = {k: v for k, v in users.get(db, "hq").items() if k != "password_hash"}
    actor = Actor.of(hq, tz=db.timezone)
    found = sum(1 for s in saved if reads.complaint(db, actor, int(s["id"])) is not None)
    codes = [str(s["code"]) for s in saved]
    by_prefix: dict[str, list[int]] = {}
    for code in codes:
        prefix, n = _code_number(code)
        by_prefix.setdefault(prefix, []).append(n)
    gap_free = all(sorted(ns) == list(range(min(ns), min(ns) + len(ns))) for ns in by_prefix.values())
    return {"saved": len(saved), "in_db": found, "codes_unique": len(set(codes)) == len(codes),
            "gap_free": gap_free}


def _batches(db) -> int:
    """Shared transactions of more than one write so far (0 without a group commit)."""
    return sum(g.batches for g in getattr(db, "_groups", {}).values())


def time_saves(db_path: str, runs: int = 20, writers: int = 20, per_writer: int = 5) -> list[dict]:
    from csm.db import open_database
    from tools.bench import _save_operations

    db = open_database(db_path)
    try:
        ops = {name: prepare for name, _role, prepare in _save_operations(db)}
        prepare = ops.get("complaints.file_complaint")
        if not callable(prepare):
            return [{"what": "file_complaint", "error": str(prepare)}]
        prepare(0)()  # warm-up
        single, saved = [], []
        cpu = time.process_time()
        for i in range(1, runs + 1):
            call = prepare(i)
            start = time.perf_counter()
            saved.append(call())
            single.append((time.perf_counter() - start) * 1000)
        cpu_ms = round((time.process_time() - cpu) * 1000 / runs, 1)
        out = [{"what": "file_complaint", "writers": 1, **summary(single), "cpu_ms": cpu_ms, **_check(db, saved)}]

        latencies: list[float] = []
        saved, errors = [], []
        lock = threading.Lock()
        barrier = threading.Barrier(writers)

        def writer(w: int) -> None:
            calls = [prepare(100_000 + w * per_writer + i) for i in range(per_writer)]
            barrier.wait()
            for call in calls:
                start = time.perf_counter()
                try:
                    result = call()
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:120])
                    continue
                ms = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(ms)
                    saved.append(result)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
        batches_before = _batches(db)
        began, cpu = time.perf_counter(), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        cpu_ms = round((time.process_time() - cpu) * 1000 / max(len(saved), 1), 1)  # threads' setup included
        out.append({"what": "file_complaint", "writers": writers, **summary(latencies), "cpu_ms": cpu_ms,
                    **_check(db, saved), "attempted": writers * per_writer, "errors": sorted(set(errors))[:3],
                    "per_s": round(len(saved) / elapsed, 1) if elapsed else None,
                    "batches": _batches(db) - batches_before})
        return out
    finally:
        db.close()
