"""The complaint desk and the home page at 1440 x 900 in Chromium, as a supervisor and head office:
no horizontal scroll of the page or of the worklist (处理时限 and 摘要 on screen), status tiles not
cut, no Streamlit English placeholders; screenshots kept in the test's folder and /tmp/shots."""

from __future__ import annotations

import shutil

import pytest

from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]

FITS = """() => {
  const over = e => e.scrollWidth > e.clientWidth + 1;
  return {
    page: over(document.documentElement) || over(document.querySelector('[data-testid=stMain]')),
    grids: [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')].filter(over).length,
    tiles: [...document.querySelectorAll('[data-testid=stMetricValue] > div')].filter(over).map(e => e.innerText),
  };
}"""


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("desk") / "desk.duckdb"
    shutil.copyfile(demo_db_file, path)
    with bh.running_app(path, tmp_path_factory.mktemp("desk-app")) as running:
        yield running


@pytest.mark.parametrize("username", ["supervisor1", "hq"])
def test_desk_fits_1440(app, browser, tmp_path, username):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.set_default_timeout(bh.UI_TIMEOUT)
    page = context.new_page()
    try:
        bh.login(page, app.url, username)
        bh.open_url(page, app.url, "complaints")
        page.get_by_test_id("stDataFrame").first.wait_for()
        page.wait_for_timeout(500)  # the grid lays out its columns after it appears
        bh.screenshot(page, tmp_path, f"desk-1440-{username}")
        assert page.evaluate(FITS) == {"page": False, "grids": 0, "tiles": []}
        text = bh.main_text(page)
        assert "Choose an option" not in text and "Choose options" not in text
        assert not bh.exceptions(page)

        page.get_by_role("link", name="首页").first.click()  # the home page's inbox, same width
        bh.wait_for_app(page)
        page.get_by_text("我的待办").wait_for()
        bh.screenshot(page, tmp_path, f"home-1440-{username}")
        fits = page.evaluate(FITS)
        assert not fits["page"] and not fits["tiles"]
        assert "None" not in bh.main_text(page) and "nan" not in bh.main_text(page)
    finally:
        context.close()
