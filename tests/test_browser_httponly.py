"""End to end in Chromium through serve.py (issue 12): the login cookie is HttpOnly. After the
login the browser holds it (HttpOnly, SameSite=Strict, Path=/), no script of the page can read it
(document.cookie) and the page never held the token; the ticket the page posted is refused when
posted again (403, no Set-Cookie); after the logout the cookie is gone and a reload shows the
login form. The route in-process: tests/test_cookie_routes.py."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from csm.i18n import t
from csm.web import auth_routes
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]


def post(url: str, body: str) -> tuple[int, str | None]:
    """(status, Set-Cookie) of a POST from outside the browser."""
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Set-Cookie")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("Set-Cookie")


def test_the_login_cookie_is_httponly(demo_db_file, browser, tmp_path):
    with bh.running_app(demo_db_file, tmp_path / "app") as app:
        page = bh.new_page(browser)
        posted = []
        page.on("request", lambda r: posted.append(r.post_data) if r.url.endswith(auth_routes.SESSION_PATH) else None)
        bh.login(page, app.url, "clerk1")
        cookie = bh.wait_for_cookie(page)
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert not cookie["secure"]  # plain http here (tests/test_cookie_routes.py: Secure behind https)
        token = cookie["value"]
        assert token not in page.evaluate("document.cookie")  # no script of the page can read it
        assert token not in page.content()  # and the page never held it

        [ticket] = posted  # the one-time ticket the page sent: worthless now
        assert ticket and ticket != token
        assert post(app.url + auth_routes.SESSION_PATH, ticket) == (403, None)

        page.reload()  # the cookie logs the reloaded page in
        bh.logout_button(page).wait_for()
        bh.wait_for_app(page)

        bh.logout_button(page).click()
        page.get_by_role("textbox", name=t("login.username", lang="zh")).wait_for()
        bh.wait_for_app(page)
        for _ in range(100):  # the page's call of the logout route follows the login screen
            if bh.session_cookie(page) is None:
                break
            page.wait_for_timeout(50)
        assert bh.session_cookie(page) is None
        page.reload()
        page.get_by_role("textbox", name=t("login.username", lang="zh")).wait_for()
        bh.wait_for_app(page)
        assert bh.logout_button(page).count() == 0
        assert bh.exceptions(page) == []
        assert "Traceback" not in app.log()
