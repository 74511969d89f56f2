"""Click to rerun finished, in Chromium, on the running benchmark server: a filter on the desk (the
"overdue only" toggle, on and off), a filter on the survey analysis (the level of the
satisfaction table: project / item) and the dashboard's chart click to its rows
(tools/bench_browser.py). Timed inside the page: from the pointer-down of the click (a capturing
listener) to the moment Streamlit marks the app not running again after the rerun it started
(stApp's data-test-script-state, the state Streamlit's own end-to-end tests wait for), so
Playwright's round trips are not counted."""

from __future__ import annotations

import sys
from pathlib import Path

from tools.bench_server import summary

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WATCH = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__bench = {states: [], clickAt: null};
  new MutationObserver(() => window.__bench.states.push(
      [app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  document.addEventListener('pointerdown', () => { window.__bench.clickAt = performance.now(); }, true);
}"""
DONE = """() => {
  const b = window.__bench;
  if (b.clickAt === null) return null;
  const i = b.states.findIndex(s => s[0] === 'running' && s[1] >= b.clickAt);
  if (i < 0) return null;
  const end = b.states.slice(i).find(s => s[0] === 'notRunning');
  return end ? end[1] - b.clickAt : null;
}"""


def _login(page, base_url: str, user: str) -> None:
    """The login form (tests/browser_helpers.login), tried twice: on a busy machine the form can
    be filled while the first rerun is still replacing it."""
    from tests import browser_helpers as bh

    try:
        bh.login(page, base_url, user)
    except AssertionError:
        bh.login(page, base_url, user)


def _timed_click(page, locator, timeout_ms: float = 120_000) -> float:
    page.evaluate("() => { window.__bench.states = []; window.__bench.clickAt = null; }")
    locator.click()
    handle = page.wait_for_function(DONE, timeout=timeout_ms)
    return float(handle.json_value())


def desk_filter(page, base_url: str, user: str, runs: int) -> dict:
    from csm.i18n import t
    from tests import browser_helpers as bh

    _login(page, base_url, user)
    bh.open_url(page, base_url, "complaints")
    page.evaluate(WATCH)
    toggle = page.get_by_test_id("stCheckbox").filter(has_text=t("field.overdue_only", lang="zh")).locator("label")
    if not toggle.count():
        toggle = page.get_by_text(t("field.overdue_only", lang="zh"), exact=True)
    times = [_timed_click(page, toggle.first) for _ in range(runs)]
    bh.wait_for_app(page)
    return {"what": "desk: overdue-only toggle", "role": user, "samples_ms": times, **summary(times),
            "exceptions": bh.exceptions(page)}


def analysis_filter(page, base_url: str, user: str, runs: int) -> dict:
    from csm.i18n import t
    from tests import browser_helpers as bh

    _login(page, base_url, user)
    bh.open_url(page, base_url, "survey_analysis")
    page.evaluate(WATCH)
    group = page.get_by_role("radiogroup", name=t("survey.analysis.level", lang="zh"))  # st.segmented_control
    options = [t("field.project", lang="zh"), t("survey.item", lang="zh")]
    times = []
    for i in range(runs):
        button = group.get_by_role("radio", name=options[i % 2], exact=True).first
        button.scroll_into_view_if_needed()
        times.append(_timed_click(page, button))
    bh.wait_for_app(page)
    return {"what": "survey analysis: level project/item", "role": user, "samples_ms": times, **summary(times),
            "exceptions": bh.exceptions(page)}


def run_clicks(base_url: str, runs: int, say=print) -> list[dict]:
    """The three click figures on the server at base_url (each in its own browser context)."""
    from tests import browser_helpers as bh
    from tools import bench_browser

    if bh.CHROMIUM_MISSING:
        return [{"what": "clicks", "error": bh.SKIP_REASON}]
    out = []
    with bh.chromium() as browser:
        for fn, user in ((desk_filter, "clerk1"), (analysis_filter, "hq")):
            page = bh.new_page(browser)
            page.context.set_default_timeout(120_000)
            try:
                r = fn(page, base_url, user, runs)
            except Exception as exc:
                r = {"what": fn.__name__, "role": user, "error": f"{type(exc).__name__}: {exc}"[:300]}
            finally:
                page.context.close()
            say(f"click {r['what']} as {user}: p50 {r.get('p50')} ms, p95 {r.get('p95')} ms {r.get('error') or ''}")
            out.append(r)
        page = bh.new_page(browser)
        try:
            d = bench_browser.dashboard_clicks(page, base_url, "manager_b1", runs)
            r = {"what": "dashboard: chart click to rows", "role": "manager_b1", "samples_ms": d["finished_ms"],
                 **summary(d["finished_ms"]), "listed": summary(d["listed_ms"]), "exceptions": d["exceptions"]}
        except BaseException as exc:  # bench_browser raises SystemExit when it finds no bar
            r = {"what": "dashboard: chart click to rows", "role": "manager_b1",
                 "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            page.context.close()
        say(f"click {r['what']}: p50 {r.get('p50')} ms, p95 {r.get('p95')} ms {r.get('error') or ''}")
        out.append(r)
    return out
