"""A page's URL reached first in a fresh server process (a reload or a reconnect after a
restart, the second app server behind the proxy): the login cookie logs the session in and the
page shows, through app.py. Streamlit ran such a deep link's script alone (its version-1
multipage mode, until some run called st.navigation) and the page said "请先登录" (serve.py)."""

from __future__ import annotations

import shutil

import pytest

from csm.i18n import t
from tests import browser_helpers as bh


def test_first_session_of_a_fresh_server_opened_on_a_page_url(db_path, tmp_path):
    from tools import bench_server as bs

    server = bs.start_server(db_path, tmp_path / "server", "deep-link-test-cookie-key-0123456789abcdef")

    async def first_visits() -> list[tuple[str, list[str], str]]:
        out = []
        for username, page in (("clerk1", "complaints"), ("hq", "dashboard"), ("clerk2", "revisits")):
            client = bs.Client(server, username)
            await client.connect()
            try:
                shown = await client.rerun(page)  # the session's very first run, on the page's URL
                out.append((page, shown.problems, client._shown()))
            finally:
                await client.close()
        return out

    try:
        visits = bs.run(first_visits())  # a thread of its own where Playwright left an event loop
    finally:
        bs.stop_server(server)
    assert visits == [("complaints", [], "complaints"), ("dashboard", [], "dashboard"),
                      ("revisits", [], "revisits")], server.log()[-2000:]


@pytest.mark.browser
@pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)
def test_a_reload_on_the_desk_after_a_restart_stays_logged_in(demo_db_file, browser, tmp_path):
    db = tmp_path / "csm.duckdb"
    shutil.copyfile(demo_db_file, db)
    page = bh.new_page(browser)
    app = bh.start_app(db, tmp_path / "first")
    try:
        bh.login(page, app.url, "clerk1")
        bh.open_url(page, app.url, "complaints")
    finally:
        bh.stop_app(app)
    again = bh.start_app(db, tmp_path / "second")  # the same store, a new process
    try:
        bh.open_url(page, again.url, "complaints")  # the cookie of the first server's login
        assert t("error.not_logged_in") not in bh.main_text(page)
        assert bh.logout_button(page).count() == 1
        assert t("page.complaints") in bh.menu_titles(page)
        assert bh.exceptions(page) == []
        assert "Traceback" not in again.log()
    finally:
        page.context.close()
        bh.stop_app(again)
