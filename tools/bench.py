"""Benchmark: server-side time of every screen for a wide-scope role, and of saving a record.

    python -m tools.bench [--db data/bench.duckdb] [--size large] [--runs 20] [--generate]
                        [--pages home,residents] [--no-saves] [--out data/bench-results.json]

Each registered page (csm.navigation.PAGES) is run through the real shell (app.py: login from
preset session state, menu, sidebar) with streamlit.testing AppTest: one warm-up, then N
reruns. The figure is the time spent inside the page script (StreamlitPage.run), measured in
the same process; the whole rerun including the shell is recorded too. Targets: every page
median <= 200 ms and p95 <= 500 ms; saving one record (the command, transaction included)
<= 50 ms. A page far over its target stops repeating once it has spent BUDGET_S seconds (after
MIN_RUNS runs), so one slow screen does not hold the whole run for minutes.

Everything runs on a temporary copy of the database: pages and saves write (logins, audit,
the records saved), and the benchmark database stays as generated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csm import config
from csm.navigation import PAGES, PageSpec, allowed

# The product's targets for every page at the large size: median <= 200 ms and p95 <= 500 ms;
# saving a record <= 50 ms (median and p95).
TARGET_WORK_MS = 200
TARGET_P95_MS = 500
TARGET_SAVE_MS = 50
# widest scope first; clerk1 is added for every page a clerk may open
ROLE_PREFERENCE = ("hq", "admin", "manager_b1", "manager_p1", "supervisor1", "clerk1", "clerk2")
DEFAULT_DB = "data/bench.duckdb"
DEFAULT_OUT = "data/bench-results.json"
APPTEST_TIMEOUT = 300  # seconds for one rerun: the large data set on a slow machine
BUDGET_S = 60.0  # per page and role, after the warm-up
MIN_RUNS = 3


@dataclass
class Result:
    kind: str  # "page" | "save"
    name: str
    role: str
    target_ms: int          # median
    p95_target_ms: int
    samples_ms: list[float] = field(default_factory=list)
    rerun_ms: list[float] = field(default_factory=list)  # pages: the whole rerun, shell included
    error: str | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.samples_ms) if self.samples_ms else None

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.samples_ms, 95) if self.samples_ms else None

    @property
    def status(self) -> str:
        if self.error:
            return "ERROR" if not self.error.startswith("skipped") else "SKIP"
        ok = (self.median_ms is not None and self.median_ms <= self.target_ms
              and self.p95_ms <= self.p95_target_ms)
        return "PASS" if ok else "FAIL"

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(median_ms=_round(self.median_ms), p95_ms=_round(self.p95_ms), status=self.status,
                   rerun_median_ms=_round(statistics.median(self.rerun_ms)) if self.rerun_ms else None,
                   samples_ms=[_round(s) for s in self.samples_ms],
                   rerun_ms=[_round(s) for s in self.rerun_ms])
        return out


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least q% of the samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def target_for(spec: PageSpec) -> int:
    """The median target of a page (the same for every page)."""
    return TARGET_WORK_MS


def demo_roles() -> dict[str, str]:
    from tools.demo import DEMO_USERS

    return {username: role for username, _name, role, _kind, _code in DEMO_USERS}


def roles_for(spec: PageSpec) -> list[str]:
    """The widest-scope demo account that may open the page, and clerk1 for a clerk's page."""
    roles = demo_roles()
    chosen = [u for u in ROLE_PREFERENCE if allowed(roles.get(u), spec.id)][:1]
    if allowed("clerk", spec.id) and "clerk1" not in chosen:
        chosen.append("clerk1")
    return chosen


# ---- pages ---------------------------------------------------------------------------------
class PageClock:
    """Times StreamlitPage.run (the page script inside the shell) in this process."""

    def __init__(self):
        self.last: tuple[str, float] | None = None

    @contextmanager
    def installed(self) -> Iterator[PageClock]:
        from streamlit.navigation.page import StreamlitPage

        original = StreamlitPage.run
        clock = self

        def timed_run(page_self):
            start = time.perf_counter()
            try:
                return original(page_self)
            finally:  # st.stop() in a page raises; its time still counts
                clock.last = (page_self.url_path, (time.perf_counter() - start) * 1000)

        StreamlitPage.run = timed_run
        try:
            yield self
        finally:
            StreamlitPage.run = original


def _app_as(username: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=APPTEST_TIMEOUT)
    # the login library's keys, as after a successful login (as tests/apptest_helpers.py does)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["csm.lang"] = "zh"
    return at


def _page_problem(at, spec: PageSpec, clock: PageClock) -> str | None:
    if at.exception:
        return "exception: " + "; ".join(str(e.value)[:200] for e in at.exception)
    if clock.last is None or clock.last[0] != spec.id:
        return f"page not reached (last page run: {clock.last[0] if clock.last else None})"
    from csm.i18n import t

    refused = t("error.permission_denied", lang="zh")
    if any(refused in str(e.value) for e in at.error):
        return "refused: the role may not open this page"
    return None


def time_page(spec: PageSpec, username: str, runs: int, clock: PageClock,
              budget_s: float | None = None) -> Result:
    budget_s = BUDGET_S if budget_s is None else budget_s
    result = Result("page", spec.id, username, target_for(spec), TARGET_P95_MS)
    try:
        at = _app_as(username)
        at.run()  # the default page, as after logging in
        at.switch_page(spec.path)
        at.run()  # warm-up of this page
        result.error = _page_problem(at, spec, clock)
        began = time.perf_counter()
        for i in range(runs if result.error is None else 0):
            if i >= MIN_RUNS and time.perf_counter() - began > budget_s:
                break  # enough samples to show it is far over its target
            clock.last = None
            start = time.perf_counter()
            at.run()
            rerun = (time.perf_counter() - start) * 1000
            problem = _page_problem(at, spec, clock)
            if problem:
                result.error = problem
                break
            result.samples_ms.append(clock.last[1])
            result.rerun_ms.append(rerun)
    except Exception as exc:  # one broken page must not stop the others' figures
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    return result


# ---- saving a record -----------------------------------------------------------------------
def _save_operations(db) -> list[tuple[str, str, Callable[[int], Callable[[], object]] | str]]:
    """(name, role, prepare) where prepare(i) returns the call to time; or a reason to skip.

    Guarded: a capability that does not exist yet is skipped, not failed."""
    import importlib

    from csm.org import users

    clerk = users.get(db, "clerk1")
    clerk = {k: v for k, v in clerk.items() if k != "password_hash"}
    project_id = clerk["scope_id"]
    ops: list = []

    def module(name: str):
        try:
            return importlib.import_module(f"csm.{name}")
        except ImportError:
            return None

    complaints = module("complaints")
    if complaints is not None and hasattr(complaints, "file_complaint") and hasattr(complaints, "Intake"):
        channel = db.one("complaints/channel_by_code", {"code": "PHONE"})
        category = db.one("complaints/category_by_code", {"code": "ENG-WATER"})
        if channel and category:
            def file_one(i: int):
                intake = complaints.Intake(
                    project_id=project_id, complainant_name="王建国", complainant_phone="13912345678",
                    channel_id=channel["id"], category_id=category["id"],
                    description=f"基准测试 {i}：3号楼地下室水管漏水，请尽快维修。",
                    received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text="1-0101")
                from csm.actor import Actor

                return lambda: complaints.file_complaint(db, Actor.of(clerk, tz=db.timezone), intake, [])
            ops.append(("complaints.file_complaint", "clerk1", file_one))
        else:
            ops.append(("complaints.file_complaint", "clerk1", "skipped: channel PHONE or category "
                                                                "ENG-WATER missing"))
    else:
        ops.append(("complaints.file_complaint", "clerk1", "skipped: csm.complaints.file_complaint absent"))

    revisits = module("revisits")
    if revisits is not None and hasattr(revisits, "commands") and hasattr(revisits, "ServiceRecord"):
        from csm.actor import Actor

        clerk_actor = Actor.of(clerk, tz=db.timezone)

        def service(i: int):
            return revisits.ServiceRecord(
                project_id=project_id, service_type="repair",
                completed_at=datetime.now(UTC) - timedelta(hours=1),
                description=f"基准测试 {i}：更换厨房水龙头", unit_text="1-0101",
                resident_name="王建国", resident_phone="13912345678")

        def record_one(i: int):
            rec = service(i)
            return lambda: revisits.commands.record_service(db, clerk_actor, rec)
        ops.append(("revisits.record_service", "clerk1", record_one))

        if hasattr(revisits.commands, "record_revisit") and hasattr(revisits, "Attempt"):
            def revisit_one(i: int):
                # its task comes from a service record saved beforehand, outside the clock
                rid = revisits.commands.record_service(db, clerk_actor, service(10_000 + i))
                task = db.one("revisits/task_for_service", {"service_record_id": rid})
                attempt = revisits.Attempt(
                    method="phone", reached=True, person_reached="王建国", relation="owner",
                    satisfaction="satisfied", attitude="satisfied", efficiency="satisfied",
                    effect="satisfied", comments="基准测试")
                return lambda: revisits.commands.record_revisit(db, clerk_actor, task["id"], task["version"],
                                                                attempt)
            ops.append(("revisits.record_revisit", "clerk1", revisit_one))
    else:
        ops.append(("revisits.record_service", "clerk1", "skipped: csm.revisits.commands absent"))
    return ops


def time_saves(db_path: str, runs: int) -> list[Result]:
    from csm.db import open_database

    results = []
    db = open_database(db_path)
    try:
        for name, role, prepare in _save_operations(db):
            result = Result("save", name, role, TARGET_SAVE_MS, TARGET_SAVE_MS)
            results.append(result)
            if isinstance(prepare, str):
                result.error = prepare
                continue
            try:
                prepare(0)()  # warm-up
                for i in range(1, runs + 1):
                    call = prepare(i)
                    start = time.perf_counter()
                    call()
                    result.samples_ms.append((time.perf_counter() - start) * 1000)
            except Exception as exc:
                result.error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        db.close()
    return results


# ---- the whole run -------------------------------------------------------------------------
def data_size(db_path: str) -> dict:
    from csm.db import open_database

    db = open_database(db_path)
    try:
        counts = dict(db.one("org/counts", {"scope_kind": "group", "scope_id": -1}) or {})
        for key, query in (("complaints", "demo/count_complaints"), ("revisit_tasks", "demo/count_revisits")):
            try:
                counts[key] = db.value(query)
            except KeyError:  # that capability's demo query does not exist (yet)
                pass
    finally:
        db.close()
    return {k: int(v) for k, v in counts.items() if v is not None}


def select_pages(page_ids: list[str] | None) -> list[PageSpec]:
    if not page_ids:
        return list(PAGES)
    known = {p.id: p for p in PAGES}
    unknown = [p for p in page_ids if p not in known]
    if unknown:
        raise SystemExit(f"unknown page id(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[p] for p in page_ids]


@contextmanager
def _environment(db_copy: str, work_dir: Path) -> Iterator[None]:
    """The app's settings for this process while the benchmark runs, restored afterwards."""
    wanted = {"CSM_DB_PATH": db_copy, "CSM_DATA_DIR": str(work_dir / "data"),
              "CSM_UPLOADS_DIR": str(work_dir / "uploads"), "CSM_LOGIN_SLEEP": "0",
              "CSM_COOKIE_KEY": os.environ.get("CSM_COOKIE_KEY") or "bench-cookie-key-long-enough-for-hs256"}
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    from streamlit import config as st_config

    details = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "full")  # a failing page's real error in the report
    try:
        yield
    finally:
        st_config.set_option("client.showErrorDetails", details)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_bench(db_path: str, runs: int = 20, page_ids: list[str] | None = None, saves: bool = True,
              progress: Callable[[str], None] | None = None) -> dict:
    """Time the pages (and saves) on a temporary copy of db_path; return the JSON-able report."""
    from importlib.metadata import version

    import streamlit

    say = progress or (lambda _msg: None)
    pages = select_pages(page_ids)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="csm-bench-") as tmp:
        work = Path(tmp)
        copy = str(work / "bench.duckdb")
        t0 = time.perf_counter()
        shutil.copyfile(db_path, copy)
        say(f"copied {db_path} in {time.perf_counter() - t0:.1f} s")
        results: list[Result] = []
        with _environment(copy, work):
            if saves:
                results += time_saves(copy, runs)
                for r in results:
                    say(f"save {r.name}: {r.status}")
            clock = PageClock()
            try:
                with clock.installed():
                    for spec in pages:
                        for username in roles_for(spec):
                            r = time_page(spec, username, runs, clock)
                            say(f"page {spec.id} as {username}: {r.status}"
                                + (f" ({r.error})" if r.error else ""))
                            results.append(r)
            finally:
                from csm.web import ui

                ui._database.clear()  # drop the app's cached connection to the copy
            size = data_size(copy)
    pages_first = sorted(results, key=lambda r: r.kind != "page")
    return {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.now(UTC) - started).total_seconds(), 1),
        "db": str(db_path), "data": size, "runs": runs,
        "targets_ms": {"page_median": TARGET_WORK_MS, "page_p95": TARGET_P95_MS, "save": TARGET_SAVE_MS},
        "measure": "page: time inside the page script (StreamlitPage.run) per rerun; "
                   "save: the command's call, transaction included",
        "environment": {"python": platform.python_version(), "streamlit": streamlit.__version__,
                        "duckdb": version("duckdb"), "machine": platform.machine(),
                        "cpus": os.cpu_count()},
        "results": [r.as_dict() for r in pages_first],
    }


def format_table(report: dict) -> str:
    header = ("what", "name", "role", "n", "median ms", "p95 ms", "rerun ms", "target median/p95", "result")
    rows = []
    for r in report["results"]:
        def ms(v):
            return "" if v is None else f"{v:.1f}"
        rows.append((r["kind"], r["name"], r["role"], str(len(r["samples_ms"])), ms(r["median_ms"]), ms(r["p95_ms"]),
                     ms(r["rerun_median_ms"]), f"{r['target_ms']}/{r['p95_target_ms']}", r["status"]))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    errors = [r for r in report["results"] if r["error"]]
    for r in errors:
        out.append(f"  {r['name']} ({r['role']}): {r['error']}")
    data = ", ".join(f"{k} {v:,}" for k, v in report["data"].items())
    passed = sum(r["status"] == "PASS" for r in report["results"])
    timed = sum(r["status"] in ("PASS", "FAIL") for r in report["results"])
    out.append(f"{passed}/{timed} within target; n runs after one warm-up (up to {report['runs']}, fewer "
               f"once a page has spent {BUDGET_S:.0f} s); PASS = median and p95 within target; "
               f"rerun ms = whole rerun incl. login shell")
    out.append(f"data: {data}")
    return "\n".join(out)


def ensure_database(db_path: str, size: str, generate: bool) -> None:
    path = Path(db_path)
    if path.exists():
        return
    if not generate:
        raise SystemExit(f"no database at {db_path}: add --generate to build the {size} demo there")
    from csm.db import open_database
    from tools import demo

    print(f"generating the {size} demo data set into {db_path} ...", flush=True)
    start = time.perf_counter()
    db = open_database(db_path)
    try:
        summary = demo.generate(db, size=size)
        db.checkpoint()
    finally:
        db.close()
    print(f"  done in {time.perf_counter() - start:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in summary.items()), flush=True)


def build_parser() -> argparse.ArgumentParser:
    from tools.demo import SIZES

    p = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file to measure (default {DEFAULT_DB})")
    p.add_argument("--size", default="large", choices=list(SIZES), help="demo size for --generate")
    p.add_argument("--runs", type=int, default=20, help="timed runs per item after one warm-up")
    p.add_argument("--generate", action="store_true", help="build the demo database if it is missing")
    p.add_argument("--pages", default=None, help="comma-separated page ids (default: all)")
    p.add_argument("--no-saves", action="store_true", help="skip timing the save commands")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    page_ids = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None
    select_pages(page_ids)  # refuse unknown ids before any work
    ensure_database(args.db, args.size, args.generate)
    # AppTest presets session state outside a script run, and Streamlit warns "missing
    # ScriptRunContext" each time (its log level is reset on every run): drop just that warning
    import logging

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in str(record.msg))
    report = run_bench(args.db, args.runs, page_ids, saves=not args.no_saves,
                       progress=lambda m: print("  " + m, file=sys.stderr, flush=True))
    report["size"] = args.size
    print(format_table(report))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results written to {out}")
    return 1 if any(r["status"] == "ERROR" for r in report["results"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
