"""End to end in Chromium: a branch manager changes the dashboard's period and clicks a Pareto bar
to list the complaints behind it; head office sorts the comparison (the column menu, as a user
does) and sees the rows reordered, drills into a branch and a project and the project's survey
items, downloads the Excel of the table and the PDF report. Screenshots are kept."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader

from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]
ZH = "zh"


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    with bh.running_app(demo_db_file, tmp_path_factory.mktemp("dash-app")) as running:
        yield running


def wide_page(browser):
    page = bh.new_page(browser)
    page.set_viewport_size({"width": 1440, "height": 1000})
    return page


def pick_second(page, label):
    """The second option of a select box (the first is "all" / "none"), by keyboard."""
    box = page.get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    bh.wait_for_app(page)


def column(table, n: int) -> list[str]:
    """The texts of column n of a st.dataframe as drawn (the grid's accessible cells, in display order)."""
    out = []
    for row in table.locator("[role=row]").all()[1:]:
        cells = row.locator("[role=gridcell]").all_inner_texts()
        if cells:
            out.append(cells[n].strip())
    return out


def sort_first_column_descending(page, table):
    """As a user does: the first column's header menu (⋮ at its right end), "Sort descending"."""
    box = table.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + 25, box["y"] + 17)
    page.get_by_role("menuitem", name=re.compile("Sort descending")).click()
    page.wait_for_timeout(600)


def until(page, check, what: str, timeout_ms: int = 30_000):
    """Poll `check()` until it returns something truthy (the page under load may take seconds to
    draw a grid or finish a rerun): waits on what the user would see, not on a fixed sleep."""
    waited = 0
    while waited < timeout_ms:
        got = check()
        if got:
            return got
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError(f"not shown within {timeout_ms / 1000:.0f} s: {what}")


def choose_year(page):
    page.get_by_role("radio", name=t("dash.period.year", lang=ZH), exact=True).first.click()
    bh.wait_for_app(page)


def test_manager_changes_period_and_clicks_a_bar(app, browser, tmp_path):
    shots = tmp_path / "screenshots"
    page = wide_page(browser)
    bh.login(page, app.url, "manager_b1")
    bh.open_url(page, app.url, "dashboard")
    choose_year(page)
    received = page.get_by_test_id("stMetric").filter(has_text=t("kpi.received", lang=ZH)).first
    value = received.get_by_test_id("stMetricValue")
    for _ in range(40):  # the tiny demo has nothing this month; the year's figure arrives with the rerun
        if value.inner_text().strip() not in ("0", "—"):
            break
        page.wait_for_timeout(500)
    assert value.inner_text().strip() not in ("0", "—")
    pareto = page.get_by_test_id("stVegaLiteChart").nth(1)
    pareto.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # vega draws after the element appears
    bh.screenshot(page, shots, "dashboard-manager-year")
    box = pareto.bounding_box()
    behind = page.get_by_text(t("dash.behind", lang=ZH, what="", n=0, limit=0).split("：")[0] + "：")
    for dx, dy in ((70, 60), (80, 90), (60, 120), (95, 150)):
        page.mouse.click(box["x"] + dx, box["y"] + dy)
        page.wait_for_timeout(1200)
        bh.wait_for_app(page)
        if behind.count():
            break
    behind.first.wait_for()
    assert "件" in behind.first.inner_text()
    bh.screenshot(page, shots, "dashboard-manager-bar-clicked")
    assert bh.exceptions(page) == []
    page.context.close()


def test_head_office_compares_drills_and_downloads(app, browser, tmp_path):
    shots = tmp_path / "screenshots"
    page = wide_page(browser)
    bh.login(page, app.url, "hq")
    bh.open_url(page, app.url, "comparison")
    choose_year(page)
    table = page.get_by_test_id("stDataFrame").first
    table.wait_for()
    codes = until(page, lambda: (lambda c: c if len(c) >= 2 else None)(column(table, 0)), "the league's rows")
    bh.screenshot(page, shots, "comparison-branches")
    assert codes == sorted(codes)  # the league comes in code order
    households = column(table, 2)
    sort_first_column_descending(page, table)
    until(page, lambda: column(table, 0) == sorted(codes, reverse=True), "the league sorted descending")
    assert column(table, 2) == [households[codes.index(c)] for c in sorted(codes, reverse=True)]  # rows kept whole
    bh.screenshot(page, shots, "comparison-sorted")
    bh.wait_for_app(page)  # a click during the sorting's rerun can be lost under load: wait, then retry once
    button = page.get_by_role("button", name=t("export.xlsx", lang=ZH), exact=True)  # ui.downloads
    try:
        with page.expect_download(timeout=30000) as info:
            button.click()
    except PlaywrightTimeout:
        bh.wait_for_app(page)
        with page.expect_download(timeout=60000) as info:
            button.click()
    ws = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    assert ws.cell(row=1, column=2).value == t("cmp.col.name", lang=ZH) and ws.max_row >= 3
    # drill into the first branch, then one of its projects
    pick_second(page, t("cmp.branch", lang=ZH))
    page.get_by_text(t("cmp.col.branch", lang=ZH)).first.wait_for()
    page.wait_for_url(re.compile(r"[?&]branch="), timeout=30000)  # the URL follows the rerun that drew the table
    items_title = page.get_by_text(re.compile("^" + re.escape(t("cmp.items", lang=ZH, name="")))).first
    items_title.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    bh.screenshot(page, shots, "comparison-branch-items")
    pick_second(page, t("cmp.project", lang=ZH))
    page.get_by_text(t("cmp.rows", lang=ZH)).wait_for()
    assert page.get_by_text(t("cmp.project_detail", lang=ZH, name="")).count()
    # the project's survey items: pick the first row, the forms behind it are listed
    items = page.get_by_test_id("stDataFrame").nth(2)
    items.scroll_into_view_if_needed()
    until(page, lambda: column(items, 0), "the project's survey items")
    shown = re.escape(t("cmp.items.forms", lang=ZH, item="ITEM", n=999, limit=200))
    forms = page.get_by_text(re.compile(shown.replace("ITEM", ".+").replace("999", r"\d+")))

    def pick_first_item():  # the row-selection column of the first row; clicked again if the rerun was missed
        if not forms.count():
            box = items.locator("canvas").first.bounding_box()
            page.mouse.click(box["x"] + 8, box["y"] + 35 + 17)
            bh.wait_for_app(page)
            page.wait_for_timeout(500)
        return forms.count()

    until(page, pick_first_item, "the forms behind the first survey item")
    bh.screenshot(page, shots, "comparison-project")
    assert bh.exceptions(page) == []
    # the PDF report of the year
    bh.open_url(page, app.url, "reports")
    choose_year(page)
    page.get_by_role("button", name=t("reports.make", lang=ZH), exact=True).click()
    download = page.get_by_role("button", name=t("reports.download", lang=ZH) + "：", exact=False)
    download.wait_for(timeout=120_000)
    with page.expect_download() as info:
        download.click()
    text = " ".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    assert t("report.title", lang=ZH) in text
    bh.screenshot(page, shots, "reports-pdf")
    assert bh.exceptions(page) == []
    page.context.close()
