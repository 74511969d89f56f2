"""End-to-end helpers: run the app on a free port against a copy of a database, drive Chromium.

Used by the browser tests (tests/test_browser.py and the journeys after it):

    with running_app(db_copy, log_dir) as app, chromium() as browser:
        page = new_page(browser)
        login(page, app.url, "clerk1")
        assert menu_titles(page) == [...]

The system Chromium (Debian package, `make browser`) is used: `playwright install` cannot
download browsers here. Tests skip when it is absent (see CHROMIUM_MISSING).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from csm.i18n import LANGS, t
from tests.conftest import ROOT
from tools.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_MISSING = not Path(CHROMIUM).exists()
SKIP_REASON = f"{CHROMIUM} is not installed (make browser, as root, installs it)"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
COOKIE_KEY = "test-cookie-key-that-is-long-enough-for-hs256"
COOKIE_NAME = "csm_session"  # csm/web/auth_routes.py
SHOTS_DIR = Path("/tmp/shots")  # a copy of every screenshot, for people to look at
START_TIMEOUT = 45  # seconds until the server answers its health check
UI_TIMEOUT = 30_000  # ms for an element to appear (a rerun on the tiny DB takes < 1 s; CI may be busy)


# ---- the server ------------------------------------------------------------------------------
@dataclass
class App:
    url: str
    db_path: Path
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


def start_app(db_path: Path, work_dir: Path, env: dict[str, str] | None = None) -> App:
    """`streamlit run serve.py` (app.py with the login cookie's routes, st.App) on a free port in
    its own process group; waits until it answers.

    db_path should be a private copy: the app writes to it (logins, audit)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = work_dir / f"streamlit-{port}.log"
    streamlit = Path(sys.executable).parent / "streamlit"
    cmd = [str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]
    cmd += ["run", "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false"]
    full_env = {
        **os.environ,
        "CSM_DB_PATH": str(db_path),
        "CSM_COOKIE_KEY": COOKIE_KEY,
        "CSM_LOGIN_SLEEP": "0",
        "CSM_DATA_DIR": str(work_dir / "data"),  # never touch the real data/ folder
        "CSM_UPLOADS_DIR": str(work_dir / "uploads"),
        **(env or {}),
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    app = App(url, db_path, log_path, process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{app.log()}")
        if _healthy(url):
            return app
        time.sleep(0.2)
    stop_app(app)
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT} s:\n{app.log()}")


def stop_app(app: App) -> None:
    """Stop the server and anything it started (its whole process group)."""
    if app.process.poll() is not None:
        return
    try:
        os.killpg(app.process.pid, signal.SIGTERM)
        app.process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait(timeout=10)


@contextmanager
def running_app(db_source: Path, work_dir: Path, env: dict[str, str] | None = None) -> Iterator[App]:
    """Copy db_source into work_dir, serve it, stop the server afterwards."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "csm.duckdb"
    shutil.copyfile(db_source, db_path)
    app = start_app(db_path, work_dir, env)
    try:
        yield app
    finally:
        stop_app(app)


# ---- the browser -----------------------------------------------------------------------------
@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser) -> Page:
    """A page in a fresh context: its own cookies, so its own login."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(UI_TIMEOUT)
    return context.new_page()


def wait_for_app(page: Page) -> None:
    """Until the script run triggered last has finished (the state Streamlit's own e2e tests use)."""
    page.wait_for_timeout(150)  # let a rerun that a click has requested begin
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def open_login(page: Page, base_url: str, lang: str = "zh") -> None:
    """The login screen, in the language chosen with its language switch."""
    page.goto(base_url + "/")
    page.get_by_role("textbox", name=t("login.username", lang="zh")).wait_for()
    wait_for_app(page)
    if lang != "zh":
        page.get_by_role("radio", name=t(f"lang.{lang}", lang="zh"), exact=True).click()
        page.get_by_role("textbox", name=t("login.username", lang=lang)).wait_for()
        wait_for_app(page)


def password_box(page: Page, lang: str = "zh"):
    # the box's own label, exactly: the "Show password" button beside it must not match
    return page.locator("input[type=password]").and_(
        page.get_by_label(t("login.password", lang=lang), exact=True))


def submit_login(page: Page, username: str, password: str = DEMO_PASSWORD, lang: str = "zh") -> None:
    page.get_by_role("textbox", name=t("login.username", lang=lang)).fill(username)
    password_box(page, lang).fill(password)
    page.get_by_role("button", name=t("login.submit", lang=lang), exact=True).click()


def logout_button(page: Page):
    """The sidebar's log-out button, in either language."""
    names = "|".join(re.escape(t("logout", lang=lang)) for lang in LANGS)
    return page.get_by_role("button", name=re.compile(f"^({names})$"))


def login(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD,
          lang: str = "zh") -> None:
    """Log in through the form; returns once the role's menu is shown.

    A lang other than "zh" is picked on the login screen (and saved for the user); with "zh"
    nothing is picked, so the interface comes up in the user's saved language."""
    open_login(page, base_url, lang)
    submit_login(page, username, password, lang)
    try:
        logout_button(page).wait_for()
    except PlaywrightTimeout:
        shot = screenshot(page, SHOTS_DIR, f"failed-login-{username}-{lang}")
        raise AssertionError(f"{username} not logged in ({lang}); screen: {shot}\n"
                             f"{page.get_by_test_id('stApp').inner_text()[:1500]}") from None
    wait_for_app(page)
    wait_for_cookie(page)


def session_cookie(page: Page) -> dict | None:
    """The login cookie the browser holds (HttpOnly: only the browser context sees it)."""
    found = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME and c["value"]]
    return found[0] if found else None


def wait_for_cookie(page: Page) -> dict:
    """Until the page's call of the cookie route (csm/web/auth_routes.py) has set the cookie: it
    follows the first screen after the login, so a reload right after it would find none yet."""
    deadline = time.monotonic() + UI_TIMEOUT / 1000
    while (cookie := session_cookie(page)) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"no login cookie set: {page.context.cookies()}")
        page.wait_for_timeout(50)
    return cookie


def open_url(page: Page, base_url: str, url_path: str) -> None:
    """A page by its URL (the login cookie logs the session in again)."""
    page.goto(f"{base_url}/{url_path}")
    page.get_by_test_id("stSidebarNav").wait_for()
    wait_for_app(page)


def menu_titles(page: Page) -> list[str]:
    """The page titles in the sidebar menu, in order (without the icons' ligature text and
    without the inbox count that follows the home page's title, e.g. "首页 (6)")."""
    links = page.get_by_test_id("stSidebarNavLink").get_by_test_id("stMarkdownContainer")
    return [re.sub(r" \(\d+\)$", "", s.strip()) for s in links.all_inner_texts()]


def visible_menu_links(page: Page) -> int:
    """How many page links a user can actually see in the sidebar."""
    return sum(1 for link in page.get_by_test_id("stSidebarNavLink").all() if link.is_visible())


def menu_sections(page: Page) -> list[str]:
    return [s.strip() for s in page.get_by_test_id("stNavSectionHeader").all_inner_texts()]


def exceptions(page: Page) -> list[str]:
    """Texts of any traceback boxes Streamlit shows (there must be none)."""
    return page.get_by_test_id("stException").all_inner_texts()


def main_text(page: Page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def screenshot(page: Page, directory: Path, name: str) -> Path:
    """Full-page PNG into directory (a pytest tmp dir) and a copy into /tmp/shots/."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    try:
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SHOTS_DIR / path.name)
    except OSError:  # a shared /tmp/shots owned by someone else must not fail the test
        pass
    return path
