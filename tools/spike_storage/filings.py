"""Complaint filings on the spike's store: P processes × T threads, each filing N complaints
at once (a barrier per process), then the codes checked (unique, gap-free).

  --engine pg     the product's own command (csm.complaints.commands.file_complaint) on
                  tools.spike_storage.common.PgDatabase: PostgreSQL through DuckDB's extension,
                  the three RETURNING statements of a filing rewritten (common.PgTx)
  --engine lake   DuckLake (catalog in PostgreSQL, data files in SPIKE_LAKE_DATA): the filing's
                  writes by hand — counter row update, complaint insert, history insert — in one
                  transaction (DuckLake has no sequences, keys or RETURNING: see docs/storage.md)
  --engine slice  the product's command on the first slice's engine (CSM_DB_URL → csm/storage/pg.py:
                  reads through the extension, writes native), on a fresh database SPIKE_SLICE_URL

Usage: python -m tools.spike_storage.filings --engine pg --procs 3 --threads 10 --per 20"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import threading
import time

from tools.spike_storage import common


def _pg_worker(threads: int, per: int, tag: int, out) -> None:
    from tools import bench

    db = common.open_pg(pool=threads + 4)
    prepare = {n: p for n, _r, p in bench._save_operations(db)}["complaints.file_complaint"]
    prepare(tag * 100_000)()  # warm-up, not timed
    _run(lambda i: prepare(i), threads, per, tag, out, lambda: common.RETRIES["n"])


def _slice_worker(threads: int, per: int, tag: int, out) -> None:
    """The slice's product path (CSM_DB_URL): csm.db.open_database on PostgreSQL, writes native."""
    from csm.db import open_database
    from tools import bench

    db = open_database(common.SLICE_URL)
    if os.environ.get("SPIKE_NATIVE_READS") == "1":
        _native_reads(db)
    prepare = {n: p for n, _r, p in bench._save_operations(db)}["complaints.file_complaint"]
    prepare(tag * 100_000)()
    _run(lambda i: prepare(i), threads, per, tag, out, lambda: 0)


def _native_reads(db) -> None:
    """Experiment (SPIKE_NATIVE_READS=1): the plain reads outside a transaction — those without a
    DuckDB macro — on a native connection too, to see what the extension's lookups cost."""
    from csm.db import bind, queries
    from csm.storage import pg

    plain_rows = db.rows

    def rows(name, params=None):
        sql = queries()[name]
        if pg._uses_macro(sql, db.engine.macro_names):
            return plain_rows(name, params)
        conn = db.engine.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(pg.native_sql(sql), bind(sql, params, name))
                cols = [d[0] for d in cur.description]
                found = [dict(zip(cols, r, strict=False)) for r in cur.fetchall()]
            conn.commit()
            return found
        finally:
            db.engine.release(conn)

    db.rows = rows


def _slice_setup() -> None:
    """An empty database migrated by the product, with a branch, a project and clerk1."""
    import psycopg

    from csm.db import open_database
    from csm.org import users

    server, name = common.SLICE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    db = open_database(common.SLICE_URL)

    def work(tx):
        b = tx.value("admin/branch_insert", {"code": "B1", "name": "华东分公司", "active": True})
        return tx.value("admin/project_insert", {"code": "P1", "name": "阳光花园", "project_type": "residential",
                                                 "address": None, "households": 100, "branch_id": b,
                                                 "active": True})

    project = db.transaction(work)
    users.create(db, "cli", "clerk1", "前台小王", "Clerk-pass-2026", "clerk", "project", project)
    db.close()


_LAKE_RETRIES = {"n": 0}


def _lake_worker(threads: int, per: int, tag: int, out) -> None:
    con = common.connect_lake()

    def prepare(i: int):
        def call():
            import random

            for attempt in range(60):
                cur = con.cursor()
                cur.execute("USE lake.main")
                try:
                    # an id of this process's own range, outside the transaction (one transaction
                    # writes one attached database: the in-memory sequence is another)
                    cid = cur.execute("SELECT nextval('memory.main.seq_lake')").fetchone()[0]
                    cur.execute("BEGIN")
                    cur.execute("UPDATE complaint_counters SET last_no = last_no + 1 WHERE year = 2026")
                    no = cur.execute("SELECT last_no FROM complaint_counters WHERE year = 2026").fetchone()[0]
                    code = f"TS-2026-{no:06d}"
                    cur.execute(
                        "INSERT INTO complaints (id, code, project_id, branch_id, complainant_name, relation, "
                        "channel_id, received_at, received_by, category_id, description, urgency, status, "
                        "owner_level, version, escalation_level) VALUES (?, ?, 1, 1, '王建国', 'owner', 1, now(), "
                        "'clerk1', 2, ?, 'normal', 'received', 'project', 1, 0)", [cid, code, f"基准测试 {i}"])
                    cur.execute("INSERT INTO complaint_history (complaint_id, at_time, actor, action) "
                                "VALUES (?, now(), 'clerk1', 'file')", [cid])
                    cur.execute("COMMIT")
                    return {"id": cid, "code": code}
                except Exception as exc:  # noqa: BLE001
                    try:
                        cur.execute("ROLLBACK")
                    except Exception:  # noqa: BLE001
                        pass
                    if "conflict" not in str(exc).lower():
                        raise
                    _LAKE_RETRIES["n"] += 1
                    time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
                finally:
                    cur.close()
            raise RuntimeError("lake: still conflicting after 60 tries")
        return call

    con.execute(f"CREATE SEQUENCE memory.main.seq_lake START {10_000_000 + tag * 1_000_000}")
    prepare(-1)()
    _run(prepare, threads, per, tag, out, lambda: _LAKE_RETRIES["n"])


def _run(prepare, threads: int, per: int, tag: int, out, retries) -> None:
    latencies, saved, errors = [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    before = retries()

    def writer(w: int) -> None:
        calls = [prepare(tag * 100_000 + 1 + w * per + i) for i in range(per)]
        barrier.wait()
        for call in calls:
            start = time.perf_counter()
            try:
                result = call()
            except Exception as exc:  # noqa: BLE001 (counted and reported)
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                saved.append(str(result["code"]))

    ts = [threading.Thread(target=writer, args=(w,)) for w in range(threads)]
    began = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put({"latencies": latencies, "codes": saved, "errors": errors[:5], "n_errors": len(errors),
             "retries": retries() - before, "seconds": time.perf_counter() - began})


def _store_check(engine: str) -> dict:
    """The whole year in the store (warm-ups and earlier runs too): numbers 1..counter, each once."""
    if engine == "slice":
        from csm.db import Database

        con = Database(common.SLICE_URL)._conn
    else:
        con = common.connect_pg() if engine == "pg" else common.connect_lake()
    last = con.execute("SELECT last_no FROM complaint_counters WHERE year = 2026").fetchone()[0]
    n, distinct, lo, hi = con.execute(
        "SELECT count(*), count(DISTINCT code), min(CAST(split_part(code, '-', 3) AS INTEGER)), "
        "max(CAST(split_part(code, '-', 3) AS INTEGER)) FROM complaints WHERE code LIKE 'TS-2026-%'").fetchone()
    returned = con.execute("SELECT count(*) FROM complaint_code_returns WHERE year = 2026").fetchone()[0] \
        if engine != "lake" else 0
    return {"store_year_rows": n, "store_codes_unique": n == distinct,
            "store_gap_free": lo == 1 and hi == last and n + returned == last}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=("pg", "lake", "slice"), default="pg")
    ap.add_argument("--procs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=10)
    ap.add_argument("--per", type=int, default=20)
    args = ap.parse_args()
    worker = {"pg": _pg_worker, "lake": _lake_worker, "slice": _slice_worker}[args.engine]
    if args.engine == "slice":
        _slice_setup()
    common.silence_progress()
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(args.threads, args.per, p + 1, out)) for p in range(args.procs)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    lat = [x for r in results for x in r["latencies"]]
    codes = [c for r in results for c in r["codes"]]
    report = {
        "engine": args.engine, "procs": args.procs, "threads": args.threads, "per": args.per,
        "saved": len(codes), "errors": sum(r["n_errors"] for r in results),
        "error_sample": [e for r in results for e in r["errors"]][:3],
        "retries": sum(r["retries"] for r in results),
        "codes_unique": len(set(codes)) == len(codes),
        "summary": common.summary(lat) if lat else "none",
        "p50_ms": round(common.pct(lat, 0.5), 1) if lat else None,
        "p95_ms": round(common.pct(lat, 0.95), 1) if lat else None,
        "wall_s": round(max(r["seconds"] for r in results), 1),
    }
    report.update(_store_check(args.engine))
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
