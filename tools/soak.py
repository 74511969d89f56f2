"""Soak test of one server's memory: `python -m tools.soak --minutes 30 --db data/bench.duckdb`.

A running server (`streamlit run serve.py` on a copy of the database, as the benchmark starts it:
tools/bench_server.py) and several websocket clients (the benchmark's client: each a logged-in
browser tab) that rerun their role's pages in turn for N minutes; every `--sample-seconds` (a
minute by default) the server's RSS is read. The result is the growth from the sample at the end of
the warm-up (`--warm-minutes`, 15 by default: DuckDB's buffer pool, its index nodes and its eviction
queues fill during the first 10–15 minutes of a busy server and then stay level, docs/performance.md;
a run shorter than three warm-ups takes the sample at a third of the run) to the last sample, what
the warm-up itself added since minute 2, and one verdict line:
`soak: PASS|FAIL rss <base> -> <end> MB (+<growth> MB, +<pct> %) over <minutes> min, <reruns> reruns … warm-up …`.
The report (JSON) goes to --out. Nothing is written to the given database: the server works on a
copy in a temporary folder, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from csm.navigation import BY_ID, allowed
from tools import bench_server as bs

# a role's pages the clients go through in turn (only the ones the role may open are visited)
PAGES = ("home", "complaints", "revisits", "dashboard", "survey_analysis", "survey_actions", "survey_entry",
         "residents", "account")
USERS = ("clerk1", "clerk2", "hq", "manager_b1", "supervisor1", "manager_p1")
ROLES = {"clerk1": "clerk", "clerk2": "clerk", "hq": "head_office", "manager_b1": "manager",
         "supervisor1": "supervisor", "manager_p1": "manager"}  # tools/demo DEMO_USERS
WARM_MINUTE = 2           # the first sample that counts at all (sessions open, the first reads cached)
WARM_UP_MINUTES = 15.0    # the default warm-up: the growth is judged from here to the end
ESCALATE_EVERY = 60  # seconds between the server's escalation runs during a soak
MAX_GROWTH_PCT = 10.0  # over the run after the warm-up (the figure the lead judges: "no growth")


def _pages_of(username: str, pages: tuple[str, ...]) -> list[str]:
    """The URL paths of the role's pages (the default page is the app's root, as in tools/bench.py)."""
    return ["" if BY_ID[p].default else p for p in pages if allowed(ROLES.get(username), p)]


def _base_index(samples: list[dict], seconds: float, warm_minutes: float = WARM_MINUTE) -> int:
    """The sample the growth is measured from: the first at or after `warm_minutes` (a third of a
    run shorter than three of them), never the last one while there are two."""
    start = warm_minutes * 60 if seconds >= 3 * warm_minutes * 60 else seconds / 3
    for i, s in enumerate(samples):
        if s["t_s"] >= start:
            return min(i, max(len(samples) - 2, 0))
    return max(len(samples) - 2, 0)


async def _soak(server: bs.Server, users: list[str], pages: tuple[str, ...], seconds: float,
                sample_s: float, say=print, trace_from: float | None = None) -> dict:
    samples: list[dict] = [{"t_s": 0.0, "rss_mb": server.rss_mb()}]
    reruns = 0
    latencies: list[float] = []
    problems: list[str] = []
    first = bs.Client(server, users[0])  # the app's script first: it registers the pages (st.navigation)
    await first.connect()
    await first.rerun("")
    await first.close()
    samples[0]["rss_mb"] = server.rss_mb()
    t0 = time.monotonic()
    stop_at = t0 + seconds

    async def client_loop(username: str) -> None:
        nonlocal reruns
        own = _pages_of(username, pages) or ["home"]
        c = bs.Client(server, username)
        await c.connect()
        try:
            i = 0
            while time.monotonic() < stop_at:
                r = await c.rerun(own[i % len(own)])
                i += 1
                reruns += 1
                latencies.append(r.ms)
                problems.extend(f"{username} {own[(i - 1) % len(own)] or 'home'}: {p}" for p in r.problems[:1])
        finally:
            await c.close()

    async def sampler() -> None:
        n = 1
        while True:
            wait = t0 + n * sample_s - time.monotonic()
            if t0 + n * sample_s > stop_at:
                return
            await asyncio.sleep(max(wait, 0))
            samples.append({"t_s": round(time.monotonic() - t0, 1), "rss_mb": server.rss_mb(),
                            **await asyncio.to_thread(_inside, server)})
            s = samples[-1]
            if trace_from is not None and s["t_s"] >= trace_from * 60:  # the first call starts tracing
                traced = await asyncio.to_thread(_trace, server)
                s["heap_sites"] = traced.get("sites")
                for site in (traced.get("sites") or [])[:6]:
                    say(f"      +{site['kb']} KB ({site['count']:+d} blocks) {' <- '.join(reversed(site['where'][-4:]))}")
            say(f"  {s['t_s']:>7.0f} s  rss {s['rss_mb']} MB  (duckdb {s.get('duckdb_mb')} MB "
                f"{s.get('duckdb_tags_mb')}, {s.get('py_objects')} objects, heap {s.get('heap_used_mb')} used "
                f"+ {s.get('heap_free_mb')} free MB, {s.get('py_blocks')} blocks)  reruns {reruns}")
            n += 1

    await asyncio.gather(sampler(), *(client_loop(u) for u in users))
    samples.append({"t_s": round(time.monotonic() - t0, 1), "rss_mb": server.rss_mb()})
    return {"samples": samples, "reruns": reruns, "problems": problems[:20],
            "p50_ms": bs.summary(latencies)["p50"], "p95_ms": bs.summary(latencies)["p95"]}


def _trace(server: bs.Server) -> dict:
    """csm/ops/service.py heap_trace through the control channel (the first call starts it)."""
    from csm.ops import control

    try:
        answer, _beat = control.ask(server.db, "heap_trace", timeout=120, claim_timeout=10)
    except control.NoServer:
        return {}
    return answer.get("result") or {}


def _inside(server: bs.Server) -> dict:
    """The server's own breakdown (csm/ops/service.py memory): DuckDB's buffer manager and Python's
    objects, asked through the control channel; {} when it does not answer in time."""
    from csm.ops import control

    try:
        answer, _beat = control.ask(server.db, "memory", timeout=20, claim_timeout=10)
    except control.NoServer:
        return {}
    result = answer.get("result") or {}
    return {k: result.get(k) for k in ("duckdb_mb", "duckdb_tags_mb", "py_objects", "py_kinds", "heap_mb",
                                       "heap_used_mb", "heap_free_mb", "py_blocks")}


def tracebacks(log: str, keep: int = 5) -> list[str]:
    """The last `keep` tracebacks of the server's log (an exception a client saw is redacted on the
    page: its cause is only in the log, which goes with the temporary folder)."""
    found, current = [], None
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            current = [line]
            found.append(current)
        elif current is not None:
            current.append(line)
            if line and not line.startswith((" ", "\t")):
                current = None  # the exception's own line ends it
    return ["\n".join(tb[-25:]) for tb in found[-keep:]]


def verdict(report: dict, max_growth_pct: float = MAX_GROWTH_PCT) -> str:
    ok = report["rss_samples"] >= 2 and report["growth_pct"] is not None \
        and report["growth_pct"] <= max_growth_pct and not report["problems"]
    return (f"soak: {'PASS' if ok else 'FAIL'} rss {report['base_mb']} -> {report['end_mb']} MB "
            f"(+{report['growth_mb']} MB, +{report['growth_pct']} %) over {report['minutes']} min, "
            f"{report['reruns']} reruns by {report['clients']} clients, p50 {report['p50_ms']} ms "
            f"p95 {report['p95_ms']} ms" + (f", {len(report['problems'])} problem(s)" if report["problems"] else "")
            + (f"; warm-up {report['warm_minutes']:g} min: {report['early_mb']} -> {report['base_mb']} MB since minute "
               f"{WARM_MINUTE}" if report.get("early_mb") is not None and report.get("warm_minutes") else ""))


def soak(db_path: str, minutes: float, clients: int = 6, sample_s: float = 60.0,
         pages: tuple[str, ...] = PAGES, st_options: list[str] | None = None, say=print,
         trace_from: float | None = None, warm_minutes: float = WARM_MINUTE) -> dict:
    users = [USERS[i % len(USERS)] for i in range(clients)]
    with tempfile.TemporaryDirectory(prefix="soak-", dir="/tmp") as tmp:
        work = Path(tmp)
        copy = str(work / "soak.duckdb")
        shutil.copyfile(db_path, copy)
        key = os.environ.get("CSM_COOKIE_KEY") or "soak-cookie-key-long-enough-for-hs256"
        # the server's escalation timer every ESCALATE_EVERY seconds (60: its first run, which reads
        # the due-time columns of every complaint into DuckDB's cache, falls inside the warm-up
        # before minute 2; and the soak runs it 30 times, not 6)
        before = os.environ.get("CSM_ESCALATE_EVERY")
        os.environ["CSM_ESCALATE_EVERY"] = str(ESCALATE_EVERY)
        try:
            server = bs.start_server(copy, work, key, st_options)
        finally:
            if before is None:
                os.environ.pop("CSM_ESCALATE_EVERY", None)
            else:
                os.environ["CSM_ESCALATE_EVERY"] = before
        say(f"server on {server.url} (pid {server.process.pid}), {server.rss_mb()} MB; "
            f"{clients} clients for {minutes} min")
        try:
            part = bs.run(_soak(server, users, pages, minutes * 60, sample_s, say, trace_from))
            part["server_errors"] = tracebacks(server.log())
        finally:
            bs.stop_server(server)
    samples = part["samples"]
    base = samples[_base_index(samples, minutes * 60, warm_minutes)]
    early = samples[_base_index(samples, minutes * 60, WARM_MINUTE)]
    end = samples[-1]
    growth = None if base["rss_mb"] is None or end["rss_mb"] is None else round(end["rss_mb"] - base["rss_mb"], 1)
    report = {"db": db_path, "minutes": minutes, "clients": clients, "users": users, "pages": list(pages),
              "st_options": st_options or [], "sample_s": sample_s, "rss_samples": len(samples),
              "samples": samples, "warm_minutes": warm_minutes, "early_t_s": early["t_s"], "early_mb": early["rss_mb"],
              "base_t_s": base["t_s"], "base_mb": base["rss_mb"], "end_mb": end["rss_mb"],
              "growth_mb": growth,
              "growth_pct": None if growth is None or not base["rss_mb"] else round(100 * growth / base["rss_mb"], 1),
              "reruns": part["reruns"], "p50_ms": part["p50_ms"], "p95_ms": part["p95_ms"],
              "problems": part["problems"], "server_errors": part["server_errors"]}
    report["verdict"] = verdict(report)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.soak", description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, required=True, help="how long the clients rerun (fractions allowed)")
    ap.add_argument("--db", default="data/bench.duckdb", help="database file (the server works on a copy)")
    ap.add_argument("--clients", type=int, default=6, help="websocket clients (demo users in turn)")
    ap.add_argument("--sample-seconds", type=float, default=60.0, help="RSS sampling interval (default a minute)")
    ap.add_argument("--warm-minutes", type=float, default=WARM_UP_MINUTES,
                    help=f"the growth is judged from this minute on (default {WARM_UP_MINUTES:g}; "
                         f"{WARM_MINUTE} judges the filling too)")
    ap.add_argument("--pages", default=",".join(PAGES), help="page ids the clients go through")
    ap.add_argument("--st", action="append", default=[], metavar="OPTION=VALUE", help="a Streamlit option")
    ap.add_argument("--out", default=None, help="JSON report (default: none)")
    ap.add_argument("--trace-from", type=float, default=None, metavar="MINUTE",
                    help="diagnosis: trace the server's heap (tracemalloc, slows it) from this minute on and "
                         "print where what was allocated since then and is still alive was allocated")
    ap.add_argument("--memray", default=None, metavar="FILE",
                    help="diagnosis: the server records every allocation, native ones too, into this memray "
                         "file (slows it); then `python -m tools.memgrowth FILE` shows what grew")
    args = ap.parse_args(argv)
    if args.memray:
        from tools.bench_sqlrec import MEMRAY_ENV

        Path(args.memray).unlink(missing_ok=True)
        os.environ[MEMRAY_ENV] = str(Path(args.memray).resolve())
    if not Path(args.db).exists():
        print(f"no database at {args.db}", file=sys.stderr)
        return 2
    report = soak(args.db, args.minutes, args.clients, args.sample_seconds, tuple(args.pages.split(",")),
                  args.st, trace_from=args.trace_from, warm_minutes=args.warm_minutes)
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    for tb in report["server_errors"]:
        print(tb, file=sys.stderr)
    print(report["verdict"])
    return 0 if report["verdict"].startswith("soak: PASS") else 1


if __name__ == "__main__":
    sys.exit(main())
