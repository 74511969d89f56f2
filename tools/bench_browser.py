"""Click-to-rows time of the manager dashboard in Chromium (issue 10: a click on a chart to the rows
listed <= 1 s). For the lead to run against the large benchmark database:

    .venv/bin/python tools/bench_browser.py --db data/bench.duckdb [--runs 20] [--user manager_b1]
                                            [--period year] [--shots /tmp/bench-shots]

Starts the app (tests/browser_helpers.py) on a temporary COPY of --db (the app writes logins and
audit rows; the file given is never changed), logs in, opens the dashboard, picks the period, then
N times clicks the first bar of the category Pareto and measures from the click until the rows
behind it are listed ("所选：…" with its table) and until the rerun has finished; a click on an
empty place of the chart clears the pick before the next run (not timed). Prints each run, then median and 95th percentile.
Run it as a script from the repository root; it needs the system Chromium (make browser).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csm.i18n import t  # noqa: E402
from tests import browser_helpers as bh  # noqa: E402

ZH = "zh"
# where the first Pareto bar may be, from the chart's top-left corner (axis titles and labels
# take the left 40-60 px; the bar height depends on the data)
BAR_OFFSETS = ((70, 60), (80, 90), (60, 120), (95, 150), (75, 180), (90, 210))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def behind_text(page):
    return page.get_by_text(t("dash.behind", lang=ZH, what="", n=0, limit=0).split("：")[0] + "：")


def pareto(page):
    chart = page.get_by_test_id("stVegaLiteChart").nth(1)
    chart.scroll_into_view_if_needed()
    chart.wait_for()
    page.wait_for_timeout(1500)  # vega draws after the element appears
    return chart


def find_bar(page, chart) -> tuple[float, float]:
    """The page coordinates of a point inside the first bar (the click that lists rows)."""
    box = chart.bounding_box()
    for dx, dy in BAR_OFFSETS:
        x, y = box["x"] + dx, box["y"] + dy
        page.mouse.click(x, y)
        page.wait_for_timeout(1200)
        bh.wait_for_app(page)
        if behind_text(page).count():
            clear(page, chart)
            return x, y
    raise SystemExit("no bar found on the Pareto chart (is there data in the period?)")


# empty places of the Pareto (between the cumulative line near the top and the short bars at the
# right), as shares of the chart's box: a click there clears the pick
EMPTY_SPOTS = ((0.72, 0.42), (0.62, 0.35), (0.8, 0.5))


def clear(page, chart) -> None:
    """A click on an empty place of the chart clears the pick; wait until the rows are gone."""
    box = chart.bounding_box()
    for fx, fy in EMPTY_SPOTS:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        try:
            behind_text(page).first.wait_for(state="detached", timeout=15_000)
            bh.wait_for_app(page)
            return
        except bh.PlaywrightTimeout:
            continue
    raise SystemExit("could not clear the pick on the Pareto chart")


def dashboard_clicks(page, base_url: str, user: str, runs: int, period: str = "year",
                     shots: Path | None = None, say=lambda _msg: None) -> dict:
    """Log in, open the dashboard, pick the period, then `runs` times: click the first Pareto bar
    and time until its rows are listed and until the rerun has finished (a click on an empty
    place clears the pick between runs, untimed). Used by tools/bench.py and main() below."""
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.context.set_default_timeout(120_000)  # a cold first rerun on the large DB
    bh.login(page, base_url, user)
    bh.open_url(page, base_url, "dashboard")
    if period != "this_month":
        page.get_by_role("radio", name=t(f"dash.period.{period}", lang=ZH), exact=True).first.click()
        bh.wait_for_app(page)
    chart = pareto(page)
    x, y = find_bar(page, chart)
    listed: list[float] = []
    finished: list[float] = []
    for run in range(1, runs + 1):
        tables = page.get_by_test_id("stDataFrame")
        before = tables.count()  # the needs-attention tables are there already
        start = time.perf_counter()
        page.mouse.click(x, y)
        behind_text(page).first.wait_for()
        while tables.count() <= before:  # the rows' table after the text
            page.wait_for_timeout(10)
        listed.append((time.perf_counter() - start) * 1000)
        bh.wait_for_app(page)
        finished.append((time.perf_counter() - start) * 1000)
        say(f"run {run:3d}: rows listed {listed[-1]:7.0f} ms, rerun finished {finished[-1]:7.0f} ms  "
            f"({behind_text(page).first.inner_text().strip()[:60]})")
        if shots and run == runs:
            say(f"screenshot: {bh.screenshot(page, shots, 'bench-browser-dashboard-click')}")
        clear(page, chart)
    return {"listed_ms": listed, "finished_ms": finished, "exceptions": bh.exceptions(page)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path, help="DuckDB file to serve (copied first)")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--user", default="manager_b1", help="a demo manager account")
    ap.add_argument("--period", default="year", choices=["this_month", "last_month", "quarter", "half_year", "year"])
    ap.add_argument("--shots", type=Path, default=None, help="folder for a screenshot of the last run")
    args = ap.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist")
    if bh.CHROMIUM_MISSING:
        raise SystemExit(bh.SKIP_REASON)

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as work, \
            bh.running_app(args.db, Path(work)) as app, bh.chromium() as browser:
        page = bh.new_page(browser)
        started = time.perf_counter()
        result = dashboard_clicks(page, app.url, args.user, args.runs, args.period, args.shots, say=print)
        print(f"login, first dashboard and {args.runs} clicks: {time.perf_counter() - started:.1f} s")
        if result["exceptions"]:
            print("exceptions on the page:", result["exceptions"])
            return 1
    listed, finished = result["listed_ms"], result["finished_ms"]
    print(f"click to rows listed: median {statistics.median(listed):.0f} ms, p95 {p95(listed):.0f} ms "
          f"(target <= 1000 ms); rerun finished: median {statistics.median(finished):.0f} ms, "
          f"p95 {p95(finished):.0f} ms; {len(listed)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
