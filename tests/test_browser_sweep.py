"""The Chromium sweep: every demo role, every page of its menu, in Chinese and in English.

On each page: no exception box; in the Chinese interface no English text of Streamlit's own
widgets (placeholders, uploader, form hints, status, menu); no raw values (None, nan, NaT,
bare survey item keys) in the main area; no horizontal scroll of the page at 1440 x 900.
Every problem is collected and reported at once. Screenshots of every page are kept under
tests/artifacts/sweep/ (git-ignored) for people to look at.

One server, one browser, one login per role and language; pages are walked by URL.
"""

from __future__ import annotations

import re

import pytest

from csm.db import open_database
from csm.navigation import pages_for
from tests import browser_helpers as bh
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.sweep,
              pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]

DEMO_ROLES = {"admin": "admin", "hq": "head_office", "manager_b1": "manager", "manager_p1": "manager",
              "supervisor1": "supervisor", "clerk1": "clerk", "clerk2": "clerk"}
ROLES = list(DEMO_ROLES)
ARTIFACTS = ROOT / "tests" / "artifacts" / "sweep"
VIEWPORT = {"width": 1440, "height": 900}
# Streamlit's built-in English, which must not show in the Chinese interface
ENGLISH = ["Choose an option", "Choose options", "Drag and drop", "Browse files", "Limit 20MB",
           "per file", "Press Ctrl+Enter", "Press Enter to", "Running...", "View more", "View less",
           "No results"]
ENGLISH_WORDS = ["Stop", "Upload"]  # whole words only
RAW = re.compile(r"(?<![\w.])(None|nan|NaN|NaT)(?![\w.])")
# pages that show survey item keys on purpose (the questionnaire editor's key column)
KEYS_SHOWN = {"survey_questionnaires"}

PAGE_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const side = document.querySelector('[data-testid="stSidebar"]');
  const shown = el => el.offsetParent !== null;
  // a placeholder is seen only in an empty box (a select box keeps the attribute when it has a value)
  const placeholders = [...document.querySelectorAll('input[placeholder], textarea[placeholder]')]
      .filter(el => shown(el) && el.value === '').map(el => el.getAttribute('placeholder'));
  return {main: main ? main.innerText : '', side: side ? side.innerText : '',
          placeholders: placeholders,
          docScroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
          mainScroll: main ? [main.scrollWidth, main.clientWidth] : [0, 0],
          height: main ? main.scrollHeight : 900};
}"""


def item_keys(db_file) -> list[str]:
    db = open_database(str(db_file))
    try:
        return [k for (k,) in db._conn.execute("SELECT DISTINCT item_key FROM survey_items").fetchall()]
    finally:
        db.close()


def english_in(text: str) -> list[str]:
    found = [s for s in ENGLISH if s in text]
    found += [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
    return found


def form_hint_text(page) -> str:
    """Type into the first text box of a form in the main area: the hint Streamlit shows then
    ("Press Enter to submit form") must not be English in the Chinese interface."""
    box = page.locator('[data-testid="stMain"] [data-testid="stForm"] '
                       ':is([data-testid="stTextInput"] input, [data-testid="stTextArea"] textarea)')
    box = box.filter(visible=True)
    if box.count() == 0 or not box.first.is_enabled():
        return ""
    box.first.focus()
    box.first.press("End")
    box.first.type("x")
    page.wait_for_timeout(250)
    return " ".join(page.get_by_test_id("InputInstructions").filter(visible=True).all_inner_texts())


def check_page(page, role: str, lang: str, spec, keys: list[str]) -> list[str]:
    problems = []
    where = f"{lang} {role} {spec.id}"
    for text in bh.exceptions(page):
        problems.append(f"{where}: exception: {text[:200]!r}")
    seen = page.evaluate(PAGE_TEXT)
    main = seen["main"]
    if lang == "zh":
        for s in english_in("\n".join([main, seen["side"], *seen["placeholders"]])):
            problems.append(f"{where}: English UI text {s!r}")
    for m in sorted({m.group(1) for m in RAW.finditer(main)}):
        line = next(ln for ln in main.splitlines() if re.search(rf"(?<![\w.]){m}(?![\w.])", ln))
        problems.append(f"{where}: raw value {m!r} in {line.strip()[:120]!r}")
    if spec.id not in KEYS_SHOWN:
        bare = sorted({k for k in keys if re.search(rf"(?<![A-Za-z0-9_]){re.escape(k)}(?![A-Za-z0-9_])", main)})
        if bare:
            problems.append(f"{where}: survey item keys shown: {', '.join(bare[:5])}")
    doc_w, doc_client = seen["docScroll"]
    main_w, main_client = seen["mainScroll"]
    if doc_w > doc_client or main_w > main_client:
        problems.append(f"{where}: horizontal scroll (page {doc_w}>{doc_client} or main {main_w}>{main_client})")
    # a full-length screenshot: the main area scrolls inside the window, so make the window tall
    height = max(VIEWPORT["height"], min(int(seen["height"]) + 100, 8000))
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_timeout(600)  # tables redraw after the resize
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{lang}-{role}-{spec.id}.png"))
    page.set_viewport_size(VIEWPORT)
    if lang == "zh":
        for s in english_in(form_hint_text(page)):
            problems.append(f"{where}: English form hint {s!r} (typing in a form's text box)")
    return problems


def test_every_role_every_page_both_languages(demo_db_file, browser, tmp_path):
    keys = item_keys(demo_db_file)
    problems: list[str] = []
    visited = 0
    with bh.running_app(demo_db_file, tmp_path / "sweep-app") as app:
        for lang in ("zh", "en"):
            for username in ROLES:
                context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                context.set_default_timeout(bh.UI_TIMEOUT)
                page = context.new_page()
                try:
                    try:
                        bh.login(page, app.url, username, lang=lang)
                    except Exception as exc:
                        problems.append(f"{lang} {username}: login failed: {exc!s:.300}")
                        continue
                    if lang == "zh":
                        problems += [f"zh {username} menu: English UI text {s!r}"
                                     for s in english_in(page.get_by_test_id("stSidebar").inner_text())]
                    for spec in pages_for(DEMO_ROLES[username]):
                        try:
                            # the default page's URL is the root (/home would be "Page not found")
                            bh.open_url(page, app.url, "" if spec.default else spec.id)
                            page.wait_for_timeout(300)  # the login cookie component's rerun
                            bh.wait_for_app(page)
                            problems += check_page(page, username, lang, spec, keys)
                            visited += 1
                        except Exception as exc:  # a page that does not load is one problem, not the end
                            problems.append(f"{lang} {username} {spec.id}: did not load: {exc!s:.200}")
                finally:
                    context.close()
        log = app.log()
    if "Traceback" in log:
        problems.append("server log has a traceback:\n" + log[log.index("Traceback"):][:2000])
    assert visited > 0
    assert not problems, f"{len(problems)} problems on {visited} pages " \
                         f"(screenshots in {ARTIFACTS}):\n" + "\n".join(problems)
