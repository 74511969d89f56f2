"""End to end in Chromium (issue 12): the login cookie is a server-side session. A copied cookie
signs another browser in until the logout; after the logout, after a password change and with a
forged long expiry (the old signed-username cookie) it is refused; the browser that changed the
password stays signed in with a new cookie."""

from __future__ import annotations

import time

import jwt
import pytest

from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]

NAME = "csm_session"


def session_cookie(page) -> dict | None:
    found = [c for c in page.context.cookies() if c["name"] == NAME and c["value"]]
    return found[0] if found else None


def page_with_cookies(browser, app_url: str, cookies: dict[str, str]):
    page = bh.new_page(browser)
    page.context.add_cookies([{"name": k, "value": v, "url": app_url} for k, v in cookies.items()])
    page.goto(app_url + "/")
    return page


def signed_in(page) -> bool:
    """After a load: the role's menu (signed in) or the login form (refused)."""
    login_box = page.get_by_role("textbox", name=t("login.username", lang="zh"))
    bh.logout_button(page).or_(login_box).first.wait_for()
    bh.wait_for_app(page)
    page.wait_for_timeout(300)
    bh.wait_for_app(page)
    return bh.logout_button(page).count() == 1 and login_box.count() == 0


def test_the_cookie_is_a_revocable_session(demo_db_file, browser, tmp_path):
    with bh.running_app(demo_db_file, tmp_path / "app") as app:
        first = bh.new_page(browser)
        bh.login(first, app.url, "clerk1")
        first.wait_for_timeout(300)
        cookie = session_cookie(first)
        assert cookie is not None, first.context.cookies()
        assert cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain http here
        assert cookie["expires"] <= time.time() + 12 * 3600 + 120  # the bounded expiry
        assert "clerk1" not in cookie["value"]  # an opaque token, not the username

        copy = page_with_cookies(browser, app.url, {NAME: cookie["value"]})
        assert signed_in(copy), bh.main_text(copy)

        # log out in the first browser: the copied cookie no longer counts
        bh.logout_button(first).click()
        first.get_by_role("textbox", name=t("login.username", lang="zh")).wait_for()
        bh.wait_for_app(first)
        first.wait_for_timeout(300)
        assert session_cookie(first) is None  # cleared in the browser too
        copy.reload()
        assert not signed_in(copy)
        stale = page_with_cookies(browser, app.url, {NAME: cookie["value"]})
        assert not signed_in(stale)

        # a forged cookie with a far expiry, signed with the key (what the old login accepted)
        forged = jwt.encode({"username": "admin", "exp_date": time.time() + 10 * 365 * 86400},
                            bh.COOKIE_KEY, algorithm="HS256")
        assert not signed_in(page_with_cookies(browser, app.url, {NAME: forged, "csm_auth": forged}))

        # a password change ends the other browser's session, not this one's
        bh.login(first, app.url, "clerk1")
        first.wait_for_timeout(300)
        other = page_with_cookies(browser, app.url, {NAME: session_cookie(first)["value"]})
        assert signed_in(other)
        bh.open_url(first, app.url, "account")
        first.locator("input[type=password]").and_(first.get_by_label(t("field.old_password"), exact=True)).fill(bh.DEMO_PASSWORD)
        first.locator("input[type=password]").and_(first.get_by_label(t("field.new_password"), exact=True)).fill("Kq8#wuye-Tz")
        first.locator("input[type=password]").and_(first.get_by_label(t("field.confirm_password"), exact=True)).fill("Kq8#wuye-Tz")
        first.get_by_role("button", name=t("common.save"), exact=True).click()
        first.get_by_text(t("account.password_changed")).wait_for()
        bh.wait_for_app(first)
        first.wait_for_timeout(300)
        other.reload()
        assert not signed_in(other)
        first.reload()
        assert signed_in(first)  # its new cookie
        assert bh.exceptions(first) == []
        assert "Traceback" not in app.log()
