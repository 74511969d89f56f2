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


# ---- several processes (PostgreSQL: the shared store of docs/storage.md) ---------------------
class _Profile:
    """Where a process's filing time goes (--profile): every native statement's wall time by what
    it is (a named statement, BEGIN + the zone, the versions), every commit, and the group commit's
    shared transactions (their size, their time from BEGIN to the end of the commit). Patched into
    this process's classes; a timing of the write path, not of the product."""

    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.local = threading.local()

    def add(self, label: str, ms: float) -> None:
        with self.lock:
            self.times.setdefault(label, []).append(ms)

    def install(self) -> None:
        import psycopg

        from csm import db as csm_db
        from csm.storage import pg

        prof = self
        run, execute, commit = pg.NativeTx._run, psycopg.Cursor.execute, psycopg.Connection.commit
        group_commit, sync = csm_db.GroupCommit._commit, psycopg.Pipeline.sync
        tx_commit = getattr(pg.NativeTx, "commit", None)  # absent before the write path was pipelined

        def timed_run(tx, name, params, **kw):
            prof.local.label = name
            try:
                return run(tx, name, params, **kw)
            finally:
                prof.local.label = None

        def timed_sync(pipeline):  # a pipelined statement's wait for its answer (and those before it)
            label = getattr(prof.local, "label", None) or "?"
            start = time.perf_counter()
            try:
                return sync(pipeline)
            finally:
                prof.add(f"wait: {label}", (time.perf_counter() - start) * 1000)

        def timed_tx_commit(tx, engine, reference):  # the writes sent, COMMIT and the versions: one wait
            start = time.perf_counter()
            try:
                return tx_commit(tx, engine, reference)
            finally:
                prof.add("wait: sent writes + COMMIT + versions", (time.perf_counter() - start) * 1000)

        def timed_execute(cur, query, params=None, **kw):
            label = getattr(prof.local, "label", None) or " ".join(str(query).split()[:3])[:60]
            start = time.perf_counter()
            try:
                return execute(cur, query, params, **kw)
            finally:
                prof.add(label, (time.perf_counter() - start) * 1000)

        def timed_commit(conn):
            start = time.perf_counter()
            try:
                return commit(conn)
            finally:
                prof.add("COMMIT", (time.perf_counter() - start) * 1000)

        def timed_group(gc, batch, mine):
            start = time.perf_counter()
            try:
                return group_commit(gc, batch, mine)
            finally:
                prof.add(f"shared transaction of {len(batch):02d}", (time.perf_counter() - start) * 1000)

        pg.NativeTx._run = timed_run
        if hasattr(psycopg, "Pipeline"):
            psycopg.Pipeline.sync = timed_sync
        if tx_commit is not None:
            pg.NativeTx.commit = timed_tx_commit
        psycopg.Cursor.execute = timed_execute
        psycopg.Connection.commit = timed_commit
        csm_db.GroupCommit._commit = timed_group

    def report(self) -> dict:
        return {k: v for k, v in sorted(self.times.items())}


def _process_writer(db_url: str, proc: int, threads: int, per_writer: int, barrier, results,
                    profile: bool = False) -> None:
    """One app process's writers: its own Database (its own group commit), `threads` threads of
    `per_writer` filings each, started together with the other processes' (barrier)."""
    from csm.db import open_database
    from tools.bench import _save_operations

    db = open_database(db_url)
    prof = _Profile() if profile else None
    latencies: list[float] = []
    saved: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()
    try:
        prepare = dict((name, prep) for name, _role, prep in _save_operations(db))["complaints.file_complaint"]
        prepare(900_000 + proc)()  # this process's warm-up, outside the clock

        def writer(w: int) -> None:
            calls = [prepare(200_000 + proc * 10_000 + w * per_writer + i) for i in range(per_writer)]
            local.wait()
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
                    saved.append({"id": int(result["id"]), "code": str(result["code"])}
                                 if isinstance(result, dict) else result)

        local = threading.Barrier(threads + 1)
        pool = [threading.Thread(target=writer, args=(w,)) for w in range(threads)]
        for t in pool:
            t.start()
        barrier.wait()  # every process ready: all writers start at once
        if prof is not None:
            prof.install()
        local.wait()
        for t in pool:
            t.join()
    finally:
        db.close()
    results.put({"latencies": latencies, "saved": saved, "errors": errors,
                 "profile": prof.report() if prof is not None else None})


def time_saves_processes(db_url: str, procs: int = 3, threads: int = 10, per_writer: int = 10,
                         profile: bool = False) -> dict:
    """`procs` processes × `threads` writer threads filing at once on one PostgreSQL store (the
    issue's "30 concurrent writers in 3 processes"): per save the command's call, then every save
    found, codes unique and gap-free across the processes."""
    import multiprocessing as mp

    from csm.db import open_database

    ctx = mp.get_context("spawn")  # a fresh interpreter each: no connection inherited
    barrier = ctx.Barrier(procs + 1)
    results = ctx.Queue()
    workers = [ctx.Process(target=_process_writer, args=(db_url, p, threads, per_writer, barrier, results, profile))
               for p in range(procs)]
    for w in workers:
        w.start()
    barrier.wait(timeout=300)
    began = time.perf_counter()
    parts = [results.get(timeout=1800) for _ in workers]
    elapsed = time.perf_counter() - began
    for w in workers:
        w.join(timeout=60)
    latencies = [ms for p in parts for ms in p["latencies"]]
    saved = [s for p in parts for s in p["saved"]]
    errors = sorted({e for p in parts for e in p["errors"]})
    db = open_database(db_url)
    try:
        checked = _check(db, saved)
    finally:
        db.close()
    out = {"what": "file_complaint", "writers": procs * threads, "processes": procs, **summary(latencies),
           **checked, "attempted": procs * threads * per_writer, "errors": errors[:3],
           "per_s": round(len(saved) / elapsed, 1) if elapsed else None}
    if profile:  # per label over every process: count, mean and p95 ms, total ms per filing
        merged: dict[str, list[float]] = {}
        for p in parts:
            for label, ms in (p["profile"] or {}).items():
                merged.setdefault(label, []).extend(ms)
        out["profile"] = {label: {"n": len(ms), "mean": round(sum(ms) / len(ms), 1), **{
            "p95": summary(ms)["p95"]}, "ms_per_filing": round(sum(ms) / max(len(saved), 1), 2)}
            for label, ms in sorted(merged.items())}
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.bench_saves URL [--repeat N]`: time_saves_processes on a PostgreSQL store
    (a migrated database with the demo's users; each run files procs × threads × per_writer more),
    one JSON line per run — for measuring the write path alone, before / after, back to back."""
    import argparse
    import json
    import os

    p = argparse.ArgumentParser(prog="python -m tools.bench_saves", description=main.__doc__)
    p.add_argument("url", help="postgresql://… (its demo users: clerk1, hq)")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--procs", type=int, default=3)
    p.add_argument("--threads", type=int, default=10)
    p.add_argument("--per-writer", type=int, default=10)
    p.add_argument("--profile", action="store_true", help="where the time goes (per statement, commit, batch)")
    args = p.parse_args(argv)
    for _ in range(args.repeat):
        load = os.getloadavg()[0]
        r = time_saves_processes(args.url, args.procs, args.threads, args.per_writer, args.profile)
        prof = r.pop("profile", None)
        print(json.dumps({"load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
                          **{k: v for k, v in r.items() if k != "what"}}, ensure_ascii=False), flush=True)
        for label, row in (prof or {}).items():
            print(f"  {label:44s} {row}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
