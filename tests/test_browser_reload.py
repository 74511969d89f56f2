"""End to end in Chromium: a reload or a typed URL stays on its page and on the complaint the desk
shows (?complaint=<id>, checked against the scope); a session restored from the login cookie is
not a new login in the audit log."""

from __future__ import annotations

import re

import pytest

from csm.db import open_database
from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


def complaint_of(db_file, project: str) -> tuple[int, str]:
    db = open_database(str(db_file))
    try:
        return db._conn.execute(
            "SELECT c.id, c.code FROM complaints c JOIN projects p ON p.id = c.project_id "
            "WHERE p.code = ? ORDER BY c.id DESC LIMIT 1", [project]).fetchone()
    finally:
        db.close()


def logins(db_file, username: str) -> int:
    db = open_database(str(db_file))
    try:
        return db._conn.execute("SELECT count(*) FROM audit_log WHERE action = 'login' AND actor = ?",
                                [username]).fetchone()[0]
    finally:
        db.close()


def desk_heading(page) -> list[str]:
    return [h.strip() for h in page.get_by_test_id("stHeading").all_inner_texts()]


def test_reload_stays_on_the_desk_with_its_complaint(demo_db_file, browser, tmp_path):
    complaint_id, code = complaint_of(demo_db_file, "P001")
    other_id, _ = complaint_of(demo_db_file, "P003")
    shots = tmp_path / "screenshots"
    # the production pause of the login library (0.3 s) is what let a reload fall back to home
    with bh.running_app(demo_db_file, tmp_path / "app", env={"CSM_LOGIN_SLEEP": "0.3"}) as app:
        page = bh.new_page(browser)
        bh.login(page, app.url, "supervisor1")
        bh.open_url(page, app.url, "complaints")
        box = page.get_by_role("textbox", name=t("desk.open", lang="zh"), exact=True)
        box.fill(code)
        box.press("Enter")
        bh.wait_for_app(page)
        page.get_by_role("heading", name=re.compile(f"^{code} ")).wait_for()
        assert page.url.endswith(f"/complaints?complaint={complaint_id}"), page.url
        for n in range(5):
            page.reload()
            page.get_by_test_id("stSidebarNav").wait_for()
            bh.wait_for_app(page)
            page.wait_for_timeout(800)  # the cookie component's rerun after a new session's first run
            bh.wait_for_app(page)
            headings = desk_heading(page)
            if n == 0:
                bh.screenshot(page, shots, "desk-reloaded-zh")
            assert page.url.endswith(f"/complaints?complaint={complaint_id}"), (n, page.url)
            assert headings[0] == t("page.complaints", lang="zh"), (n, headings)
            assert any(h.startswith(f"{code} ") for h in headings), (n, headings)
            assert bh.exceptions(page) == []
        # a typed URL of a complaint outside the scope opens nothing and says so
        page.goto(f"{app.url}/complaints?complaint={other_id}")
        page.get_by_text(t("shell.complaint_not_found", lang="zh")).wait_for()
        bh.wait_for_app(page)
        assert desk_heading(page)[0] == t("page.complaints", lang="zh")
        assert not any(h.startswith("TS-") for h in desk_heading(page)), desk_heading(page)
        assert f"complaint={other_id}" not in page.url
        # log out and in again in the same tab: that is a second login
        bh.logout_button(page).click()
        page.get_by_role("textbox", name=t("login.username", lang="zh")).wait_for()
        bh.wait_for_app(page)
        bh.submit_login(page, "supervisor1")
        bh.logout_button(page).wait_for()
        bh.wait_for_app(page)
        page.context.close()
    # the two logins through the form; the reloads and the typed URL restored the session from its
    # cookie (before the fix every reload was a login row)
    assert logins(app.db_path, "supervisor1") == 2
    assert "Traceback" not in app.log(), app.log()[-3000:]
