"""End to end in Chromium: a clerk types returned forms into the entry grid with the keyboard
(Tab from cell to cell) and sees the returned count and the return rate change; forms with few
ratings are saved once confirmed; a bad rating is named, not dropped."""

from __future__ import annotations

import re
import shutil

import pytest

from csm.db import open_database
from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    # room for the forms typed here: the demo's open wave has almost all its forms back
    work = tmp_path_factory.mktemp("entry-app")
    source = work / "source.duckdb"
    shutil.copyfile(demo_db_file, source)
    db = open_database(str(source))
    db._conn.execute("UPDATE survey_wave_projects SET forms_issued = forms_issued + 40")
    db._conn.execute("CHECKPOINT")
    db.close()
    with bh.running_app(source, work) as running:
        yield running


def metric(page, label: str) -> str:
    block = page.get_by_test_id("stMetric").filter(has_text=label).first
    return block.get_by_test_id("stMetricValue").inner_text().strip()


def open_grid(app, browser):
    page = bh.new_page(browser)
    page.set_viewport_size({"width": 1400, "height": 1000})
    bh.login(page, app.url, "clerk1")
    bh.open_url(page, app.url, "survey_entry")
    grid = page.get_by_test_id("stDataFrame").filter(visible=True).first
    grid.wait_for()
    page.wait_for_timeout(800)
    return page, grid


def type_rows(page, grid, rows):
    box = grid.bounding_box()
    for row, (unit, ratings) in enumerate(rows):
        page.mouse.click(box["x"] + 60, box["y"] + 50 + row * 35)  # the unit cell of the row
        page.wait_for_timeout(200)
        page.keyboard.press("Enter")
        page.keyboard.type(unit, delay=30)
        for _ in range(2):  # on to the first item, past the form number
            page.keyboard.press("Tab")
            page.wait_for_timeout(150)
        for rating in ratings:  # a clerk types a rating and Tabs on; the rest stays unrated
            page.keyboard.type(rating, delay=30)
            page.keyboard.press("Tab")
            page.wait_for_timeout(150)
        page.keyboard.press("Escape")


def test_two_forms_typed_on_the_grid(app, browser, tmp_path):
    page, grid = open_grid(app, browser)
    bh.screenshot(page, tmp_path / "screenshots", "b-survey-grid-empty")
    returned_label = t("survey.entry.returned_of_issued", lang="zh")
    before = metric(page, returned_label)
    rate_before = metric(page, t("survey.return_rate", lang="zh"))
    type_rows(page, grid, (("9-9901", "4343"), ("9-9902", "1432")))
    bh.screenshot(page, tmp_path / "screenshots", "b-survey-grid-typed")
    save = page.get_by_role("button", name=t("survey.entry.save", lang="zh"), exact=True)
    save.click()
    bh.wait_for_app(page)
    # 4 of 30 items rated: asked first, nothing saved yet
    page.get_by_text(re.compile("2 份问卷评价少于 15 项")).wait_for()
    assert metric(page, returned_label) == before
    bh.screenshot(page, tmp_path / "screenshots", "b-survey-grid-confirm")
    page.get_by_text(t("survey.entry.confirm_incomplete", lang="zh")).click()
    save.click()
    bh.wait_for_app(page)
    page.get_by_text(re.compile("已保存 2 份问卷")).wait_for()
    got, issued = (int(x) for x in before.split("/"))
    assert metric(page, returned_label) == f"{got + 2} / {issued}"
    assert metric(page, t("survey.return_rate", lang="zh")) != rate_before
    assert bh.exceptions(page) == []
    page.context.close()


@pytest.mark.parametrize("typed, accepted", [("5", False), ("satisfied", True)])
def test_a_rating_is_judged_by_the_domain_rule_not_dropped(app, browser, tmp_path, typed, accepted):
    page, grid = open_grid(app, browser)
    type_rows(page, grid, ((f"9-98{len(typed)}", [typed, "3", "3"]),))
    page.get_by_role("button", name=t("survey.entry.save", lang="zh"), exact=True).click()
    bh.wait_for_app(page)
    if accepted:  # the rating counts: 3 items rated, so only the few-ratings question is asked
        page.get_by_text(re.compile("只评价了 3 / 30 项")).wait_for()
        assert page.get_by_text(re.compile("不是有效评价")).count() == 0
    else:  # named with its row and item; the grid (a canvas) keeps the cell as typed: see the screenshot
        page.get_by_text(re.compile(f"第 1 行 01「.*」：“{typed}”不是有效评价")).wait_for()
        bh.screenshot(page, tmp_path / "screenshots", "b-survey-grid-bad-rating")
    assert bh.exceptions(page) == []
    page.context.close()
