"""Benchmark of the complaint-ledger import (issue 11: 100,000 rows dry-run and apply in under a
minute): generate N typed ledger rows (as the mechanism hands them to the target, after column
and value mapping), then time the target's plan (the dry run) and its apply, each in its own
transaction, on a COPY of the benchmark database (the original is never opened).

    python -m tools.bench_import [--db data/bench.duckdb] [--rows 100000] [--keep]

`run(db_path, rows)` is what `make bench` calls; it prints and returns the seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from csm.actor import Actor
from csm.db import open_database
from csm.org.scope import Scope

TARGET_S = 60.0


def generate(db, n: int, seed: int = 5) -> pd.DataFrame:
    """N closed (most), resolved or open complaints of the last three years, every project."""
    rnd = random.Random(seed)
    tz = ZoneInfo(db.timezone)
    projects = [p["code"] for p in db.rows("complaints/import_projects") if p["active"]]
    categories = [c["code"] for c in db.rows("complaints/categories_tree")]
    departments = [d["code"] for d in db.rows("complaints/import_departments")]
    channels = [c["code"] for c in db.rows("complaints/channels_active")]
    start = datetime(2023, 1, 1, 8, tzinfo=tz)
    rows = []
    for i in range(n):
        received = start + timedelta(minutes=rnd.randint(0, 60 * 24 * 365 * 3 - 60 * 24 * 30))
        first = received + timedelta(minutes=rnd.randint(5, 600))
        kind = rnd.random()
        resolved = received + timedelta(minutes=rnd.randint(60, 60 * 24 * 10)) if kind < 0.95 else None
        closed = resolved + timedelta(minutes=rnd.randint(60, 60 * 24 * 5)) if resolved and kind < 0.9 else None
        revisited = resolved + timedelta(hours=rnd.randint(2, 60)) if resolved and kind < 0.3 else None
        rows.append({
            "source_system": "bench-hotline", "source_ref": f"HL-{i:07d}", "project": rnd.choice(projects),
            "building": f"{rnd.randint(1, 20)}栋", "unit": f"{rnd.randint(1, 20)}-{rnd.randint(1, 30):02d}{rnd.randint(1, 4):02d}",
            "complainant": f"业主{i}", "phone": f"139{rnd.randint(0, 99999999):08d}", "channel": rnd.choice(channels),
            "category": rnd.choice(categories), "grade": rnd.choice(("general", "general", "important", "major")),
            "validity": rnd.choice(("valid", "coordination", "invalid")), "department": rnd.choice(departments),
            "description": f"历史投诉 {i}：楼道灯不亮，已多次反映", "received_at": received, "first_response_at": first,
            "resolved_at": resolved, "closed_at": closed, "revisited_at": revisited,
            "satisfaction": rnd.choice(("very_satisfied", "satisfied", "neutral", "unsatisfied")) if revisited else None,
            "revisit_note": None, "status": None, "handler": rnd.choice(("李师傅", "王师傅", None)),
            "result": "已处理" if resolved else None,
        })
    frame = pd.DataFrame(rows)
    frame["_line"] = range(2, n + 2)
    return frame


def run(db_path: str, rows: int = 100_000, keep: bool = False, say=print) -> dict:
    """Plan + apply `rows` generated complaint rows into a copy of `db_path`; prints the seconds."""
    from csm.complaints.importer import TARGET

    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    copy = tmp / "bench.duckdb"
    shutil.copyfile(db_path, copy)
    db = open_database(str(copy))
    try:
        admin = db.one("users/by_username", {"username": "admin"})
        who = (Actor.of(admin, tz=db.timezone) if admin else
               Actor(None, "bench", "admin", Scope("group"), tz=db.timezone))
        t0 = time.perf_counter()
        frame = generate(db, rows)
        t_gen = time.perf_counter() - t0
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        outcomes = db.transaction(lambda tx: TARGET.plan(tx, who, frame))
        t_plan, c_plan = time.perf_counter() - t0, time.process_time() - c0
        adds = sum(1 for o in outcomes if o.action == "add")
        # the apply as the mechanism runs it: the rows judged again and written, one transaction
        t0, c0 = time.perf_counter(), time.process_time()
        db.transaction(lambda tx: TARGET.apply(tx, who, frame, TARGET.plan(tx, who, frame), 1))
        t_apply, c_apply = time.perf_counter() - t0, time.process_time() - c0
        result = {"rows": rows, "added": adds, "generate_s": round(t_gen, 2), "plan_s": round(t_plan, 2),
                  "apply_s": round(t_apply, 2), "total_s": round(t_plan + t_apply, 2),
                  "plan_cpu_s": round(c_plan, 2), "apply_cpu_s": round(c_apply, 2),
                  "load_before": round(load, 1), "cores": os.cpu_count()}
        say(f"import {rows:,} complaint rows: plan {t_plan:.1f} s, apply {t_apply:.1f} s, "
              f"total {t_plan + t_apply:.1f} s (target {TARGET_S:.0f} s; {adds:,} added); CPU time of the "
              f"process plan {c_plan:.1f} s, apply {c_apply:.1f} s; load average {load:.1f} on "
              f"{os.cpu_count()} cores; generating the rows {t_gen:.1f} s, not counted")
        return result
    finally:
        db.close()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="data/bench.duckdb")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="keep the copy (its path is printed)")
    args = ap.parse_args(argv)
    run(args.db, args.rows, args.keep)


if __name__ == "__main__":
    main()
