"""End to end in Chromium: a clerk types two returned forms into the entry grid with the keyboard
(Tab from cell to cell) and sees the returned count and the return rate change."""

from __future__ import annotations

import re

import pytest

from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    with bh.running_app(demo_db_file, tmp_path_factory.mktemp("entry-app")) as running:
        yield running


def metric(page, label: str) -> str:
    block = page.get_by_test_id("stMetric").filter(has_text=label).first
    return block.get_by_test_id("stMetricValue").inner_text().strip()


def test_two_forms_typed_on_the_grid(app, browser, tmp_path):
    page = bh.new_page(browser)
    page.set_viewport_size({"width": 1400, "height": 1000})
    bh.login(page, app.url, "clerk1")
    bh.open_url(page, app.url, "survey_entry")
    grid = page.get_by_test_id("stDataFrame").filter(visible=True).first
    grid.wait_for()
    page.wait_for_timeout(800)
    returned_label = t("survey.entry.returned_of_issued", lang="zh")
    before = metric(page, returned_label)
    rate_before = metric(page, t("survey.return_rate", lang="zh"))
    box = grid.bounding_box()
    for row, (unit, ratings) in enumerate((("9-9901", "4343"), ("9-9902", "1432"))):
        page.mouse.click(box["x"] + 60, box["y"] + 50 + row * 35)  # the unit cell of the row
        page.wait_for_timeout(200)
        page.keyboard.press("Enter")
        page.keyboard.type(unit, delay=30)
        for _ in range(2):  # on to the first item, past the form number
            page.keyboard.press("Tab")
            page.wait_for_timeout(150)
        for rating in ratings:  # a clerk types a digit and Tabs on; the rest stays unrated
            page.keyboard.type(rating, delay=30)
            page.keyboard.press("Tab")
            page.wait_for_timeout(150)
        page.keyboard.press("Escape")
    bh.screenshot(page, tmp_path / "screenshots", "survey-grid-typed")
    page.get_by_role("button", name=t("survey.entry.save", lang="zh"), exact=True).click()
    bh.wait_for_app(page)
    page.get_by_text(re.compile("已保存 2 份问卷")).wait_for()
    got, issued = (int(x) for x in before.split("/"))
    assert metric(page, returned_label) == f"{got + 2} / {issued}"
    assert metric(page, t("survey.return_rate", lang="zh")) != rate_before
    assert bh.exceptions(page) == []
    page.context.close()
