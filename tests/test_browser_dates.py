"""In Chromium: a typed impossible date is refused with the field named and stays in its box (the
date picker used to turn 2026-02-30 into Feb 28 without a word); screenshots of the changed screens."""

from __future__ import annotations

import shutil

import pytest

from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("dates") / "dates.duckdb"
    shutil.copyfile(demo_db_file, path)
    with bh.running_app(path, tmp_path_factory.mktemp("dates-app")) as running:
        yield running


def test_intake_refuses_february_30_and_keeps_it(app, browser, tmp_path):
    shots = tmp_path / "screenshots"
    clerk = bh.new_page(browser)
    bh.login(clerk, app.url, "clerk1")
    bh.open_url(clerk, app.url, "intake")
    clerk.get_by_role("textbox", name="投诉人 *", exact=True).fill("郑女士")
    clerk.get_by_role("textbox", name="内容 *", exact=True).fill("楼道垃圾三天没人清理。")
    day = clerk.get_by_role("textbox", name="受理日期 *", exact=True)
    day.fill("2026-02-30")
    clerk.get_by_role("button", name="保存投诉", exact=True).click()
    bh.wait_for_app(clerk)
    refusal = clerk.get_by_text("受理日期: 没有 2026-02-30 这一天")
    refusal.wait_for()
    refusal.scroll_into_view_if_needed()
    bh.screenshot(clerk, shots, "intake-date-refused")
    assert day.input_value() == "2026-02-30"
    assert clerk.get_by_role("textbox", name="投诉人 *", exact=True).input_value() == "郑女士"
    assert bh.exceptions(clerk) == []
    clerk.context.close()


@pytest.mark.parametrize(("username", "page_path"), [("clerk1", "revisits"), ("clerk1", "residents"),
                                                     ("manager_b1", "survey_actions"),
                                                     ("manager_b1", "survey_waves")])
def test_changed_screens_show_no_english_placeholder_or_nan(app, browser, tmp_path, username, page_path):
    page = bh.new_page(browser)
    bh.login(page, app.url, username)
    bh.open_url(page, app.url, page_path)
    bh.screenshot(page, tmp_path / "screenshots", f"{page_path}-{username}")
    page.get_by_test_id("stMain").get_by_role("combobox").last.scroll_into_view_if_needed()
    bh.screenshot(page, tmp_path / "screenshots", f"{page_path}-{username}-form")
    text = bh.main_text(page)
    assert "Choose an option" not in text and "nan" not in text.split()
    assert bh.exceptions(page) == []
    page.context.close()
