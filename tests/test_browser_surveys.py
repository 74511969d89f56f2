"""End to end in Chromium on a phone-sized screen: a resident answers the survey through the
household link once (no login, no menu); the same link a second time is refused."""

from __future__ import annotations

import pytest

from csm.db import Database
from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


@pytest.fixture(scope="module")
def token(demo_db_file):
    """An unused household link of a wave open for answers in the demo (read before the server starts)."""
    db = Database(str(demo_db_file), read_only=True)
    try:
        row = db._conn.execute(
            "SELECT t.token FROM survey_tokens t JOIN survey_waves w ON w.id = t.wave_id "
            "WHERE t.used_at IS NULL AND w.status = 'approved' AND NOT EXISTS (SELECT 1 FROM survey_responses r "
            "  WHERE r.wave_id = t.wave_id AND r.unit_id = t.unit_id) "  # not answered on paper either
            "ORDER BY t.token LIMIT 1").fetchone()
    finally:
        db.close()
    assert row, "the demo has household links"
    return row[0]


@pytest.fixture(scope="module")
def app(demo_db_file, token, tmp_path_factory):
    """The demo served with the link's wave still running: the demo's wave has fixed dates, and a
    link expires with its wave's end date (tests/test_bad_input.py checks the expired link)."""
    import shutil
    from datetime import date, timedelta

    work = tmp_path_factory.mktemp("survey-app")
    source = work / "source.duckdb"
    shutil.copyfile(demo_db_file, source)
    db = Database(str(source))
    try:
        db._conn.execute("UPDATE survey_waves SET ends_on = ? WHERE id = (SELECT wave_id FROM survey_tokens "
                         "WHERE token = ?)", [date.today() + timedelta(days=30), token])
    finally:
        db.close()
    with bh.running_app(source, work / "served") as running:
        yield running


def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(bh.UI_TIMEOUT)
    return context.new_page()


def test_resident_answers_once_through_the_link(app, browser, token, tmp_path):
    shots = tmp_path / "screenshots"
    page = phone_page(browser)
    page.goto(f"{app.url}/?survey_token={token}")
    page.get_by_text(t("survey.self.title", lang="zh")).first.wait_for()
    bh.wait_for_app(page)
    assert page.get_by_role("textbox", name=t("login.username", lang="zh")).count() == 0, "no login"
    assert bh.visible_menu_links(page) == 0, "no menu for a resident"
    bh.screenshot(page, shots, "survey-self-phone")
    radios = page.get_by_role("radiogroup")
    radios.nth(24).wait_for()  # the whole questionnaire has rendered
    assert radios.count() >= 25  # the questionnaire's items
    for i in range(3):
        radios.nth(i).get_by_text("很满意", exact=True).click()
    radios.nth(3).get_by_text("不满意", exact=True).click()
    page.get_by_role("button", name=t("survey.self.submit", lang="zh")).click()
    bh.wait_for_app(page)
    page.get_by_text(t("survey.self.thanks", lang="zh")).wait_for()
    assert bh.exceptions(page) == []
    page.context.close()

    again = phone_page(browser)
    again.goto(f"{app.url}/?survey_token={token}")
    again.get_by_text(t("survey.self.already_answered", lang="zh")).wait_for()
    assert again.get_by_role("radiogroup").count() == 0
    bh.screenshot(again, shots, "survey-self-refused")
    again.context.close()


def test_unknown_link_is_refused(app, browser):
    page = phone_page(browser)
    page.goto(f"{app.url}/?survey_token=not-a-real-token")
    page.get_by_text(t("survey.self.unknown_token", lang="zh")).wait_for()
    assert page.get_by_role("radiogroup").count() == 0
    page.context.close()
