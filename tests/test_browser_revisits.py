"""End to end in Chromium: a clerk records an unsatisfied revisit of a resolved complaint from
the queue; the complaint is reopened and the supervisor finds it in the inbox."""

from __future__ import annotations

import pytest

from csm.db import Database
from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def task(demo_db_file):
    """An open complaint revisit of clerk1's project (P001) in the demo, read before the server starts."""
    db = Database(str(demo_db_file), read_only=True)
    try:
        row = db._conn.execute(
            "SELECT t.id, c.code FROM revisit_tasks t JOIN complaints c ON c.id = t.complaint_id "
            "JOIN projects p ON p.id = t.project_id "
            "WHERE t.kind = 'complaint' AND t.status = 'open' AND c.status = 'resolved' AND p.code = 'P001' "
            "ORDER BY t.due_at, t.id LIMIT 1").fetchone()
    finally:
        db.close()
    assert row, "the demo has an open complaint revisit in P001"
    return {"id": row[0], "code": row[1]}


@pytest.fixture(scope="module")
def app(demo_db_file, task, tmp_path_factory):
    with bh.running_app(demo_db_file, tmp_path_factory.mktemp("revisit-app")) as running:
        yield running


def test_unsatisfied_revisit_reopens_the_complaint(app, browser, task, tmp_path):
    shots = tmp_path / "screenshots"
    page = bh.new_page(browser)
    bh.login(page, app.url, "clerk1")
    bh.open_url(page, app.url, "revisits")
    picker = page.get_by_role("combobox", name=t("revisit.pick_task", lang="zh"))
    picker.click()
    picker.fill(f"#{task['id']} ")
    page.keyboard.press("Enter")
    bh.wait_for_app(page)
    satisfaction = page.get_by_role("combobox", name=t("field.satisfaction", lang="zh"))
    satisfaction.click()
    satisfaction.fill("不满意")
    page.keyboard.press("Enter")
    comments = page.get_by_role("textbox", name=t("field.comments", lang="zh"), exact=True)
    comments.fill("维修后还是漏水，要求重新处理")
    comments.press("Tab")
    bh.wait_for_app(page)
    page.get_by_role("button", name=t("common.save", lang="zh"), exact=True).click()
    bh.wait_for_app(page)
    page.get_by_text(t("revisit.saved_reopened", lang="zh", code=task["code"])).wait_for()
    bh.screenshot(page, shots, "revisit-unsatisfied")
    assert bh.exceptions(page) == []
    page.context.close()

    sup = bh.new_page(browser)
    bh.login(sup, app.url, "supervisor1")
    sup.get_by_text(task["code"]).first.wait_for()  # in the inbox on the first screen
    assert t("notice.reopened", lang="zh") in bh.main_text(sup)
    sup.context.close()
