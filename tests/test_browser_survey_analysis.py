"""End to end in Chromium: on the analysis page a click on a Pareto bar lists the forms behind it
below the chart; the Pareto and the heat map are kept as screenshots (integer ticks, the right
axis of the cumulative share, every heat-map label)."""

from __future__ import annotations

import pytest

from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    with bh.running_app(demo_db_file, tmp_path_factory.mktemp("analysis-app")) as running:
        yield running


def test_click_on_a_pareto_bar_lists_its_forms(app, browser, tmp_path):
    shots = tmp_path / "screenshots"
    page = bh.new_page(browser)
    page.set_viewport_size({"width": 1440, "height": 1000})
    bh.login(page, app.url, "hq")
    bh.open_url(page, app.url, "survey_analysis")
    page.get_by_text(t("survey.analysis.view.pareto", lang="zh"), exact=True).click()
    bh.wait_for_app(page)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for()
    page.wait_for_timeout(1500)  # vega draws after the element appears
    page.get_by_text(t("survey.analysis.pick_bar", lang="zh")).first.wait_for()
    bh.screenshot(page, shots, "b-survey-pareto-heatmap")
    box = chart.bounding_box()
    behind = page.get_by_text(t("survey.analysis.behind_bar", lang="zh", what="", n="").split("：")[0] + "：")
    # the first bar (the most 不满意, the full height of the plot) is at the left of the plot
    for dx in (63, 75, 55, 90):
        page.mouse.click(box["x"] + dx, box["y"] + 60)
        page.wait_for_timeout(1500)
        bh.wait_for_app(page)
        if behind.count():
            break
    behind.first.wait_for()
    assert "份）" in behind.first.inner_text()
    table = page.get_by_test_id("stDataFrame").first
    table.wait_for()
    page.wait_for_timeout(800)
    bh.screenshot(page, shots, "b-survey-pareto-clicked")
    behind.first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    bh.screenshot(page, shots, "b-survey-pareto-forms")
    heat = page.get_by_test_id("stVegaLiteChart").nth(1)
    heat.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    bh.screenshot(page, shots, "b-survey-heatmap")
    assert bh.exceptions(page) == []
    page.context.close()
