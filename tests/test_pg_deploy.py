"""The deployment of docs/deploy.md, for real: two Streamlit processes on one PostgreSQL behind
Debian's nginx with deploy/nginx/csm.conf (the shipped file, only its ports and log path changed),
driven by Chromium. A clerk routed to process A files a complaint with a photo; a supervisor
routed to process B has the desk open before, and sees the complaint at the next rerun, its photo
read from the shared uploads folder; every request of one browser (page, websocket, upload,
download) reached its own process, by nginx's access log.

Needs PostgreSQL (tools/ci_postgres.sh), nginx (tools/ci_nginx.sh) and Chromium (make browser).
The demo loader does not run on PostgreSQL yet (its bulk loads, Tx.load, are a later slice of
docs/storage.md): the database is seeded with the admin commands' statements and users.create."""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from csm.i18n import t
from tests import browser_helpers as bh
from tests.conftest import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx" / "csm.conf"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IScHAAK2AQU0pnWqAAAAAElFTkSuQmCC")
CLERK, SUPERVISOR, PASSWORD = "clerk_ngx", "super_ngx", "Deploy-pass-2026"

pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (tools/ci_nginx.sh, as root)"),
]


# ---- nginx with the shipped configuration ----------------------------------------------------
def nginx_conf(prefix: Path, port: int, upstreams: list[str]) -> Path:
    """deploy/nginx/csm.conf with its listen port, the two processes' addresses and the access
    log moved into `prefix`; wrapped in the few lines of Debian's nginx.conf it is included in."""
    text = CONF.read_text()
    changes = [("listen 80;", f"listen 127.0.0.1:{port};"),
               ("127.0.0.1:8501", "@A@"), ("127.0.0.1:8502", "@B@"), ("@A@", upstreams[0]), ("@B@", upstreams[1]),
               ("/var/log/nginx/csm-access.log", str(prefix / "access.log"))]
    for old, new in changes:
        assert old in text, f"{old!r} not in {CONF}: the test's substitutions no longer fit the file"
        text = text.replace(old, new)
    (prefix / "csm.conf").write_text(text)
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    main = prefix / "nginx.conf"
    main.write_text(f"daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
                    f"error_log {prefix / 'error.log'};\nevents {{ worker_connections 256; }}\n"
                    f"http {{\n  {temp}\n  include {prefix / 'csm.conf'};\n}}\n")
    return main


@contextmanager
def running_nginx(prefix: Path, upstreams: list[str]):
    prefix.mkdir(parents=True, exist_ok=True)
    port = bh.free_port()
    conf = nginx_conf(prefix, port, upstreams)
    cmd = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, (prefix / "error.log").read_text(errors="replace")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "nginx did not listen within 20 s"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGQUIT)  # graceful: the access log is written out
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def access_log(prefix: Path) -> list[dict]:
    """The csm_route log format of deploy/nginx/csm.conf: request, status, route, upstream."""
    line = re.compile(r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) \d+ '
                      r'route=(?P<route>\S+) upstream=(?P<upstream>.+?) rt=')
    return [m.groupdict() for m in map(line.search, (prefix / "access.log").read_text().splitlines()) if m]


def route_cookie(url: str, cookie: str | None = None) -> str | None:
    """The route cookie nginx sets on a request (Streamlit's own _streamlit_xsrf cookie aside)."""
    req = urllib.request.Request(url + "/_stcore/health", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
        routes = [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("csm_route=")]
    assert len(routes) <= 1, routes
    return routes[0] if routes else None


# ---- the shared store -----------------------------------------------------------------------
def seed(pg_url: str) -> None:
    """`python -m csm init`, then a branch, a project, its clerk and supervisor."""
    init = subprocess.run([sys.executable, "-m", "csm", "init"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "CSM_DB_URL": pg_url})
    assert init.returncode == 0, init.stderr
    from csm.db import open_database
    from csm.org import users

    db = open_database(pg_url)
    try:
        def work(tx):
            b = tx.value("admin/branch_insert", {"code": "B1", "name": "华东分公司", "active": True})
            return tx.value("admin/project_insert", {"code": "P1", "name": "阳光花园", "project_type": "residential",
                                                     "address": None, "households": 100, "branch_id": b,
                                                     "active": True})

        project = db.transaction(work)
        users.create(db, "cli", CLERK, "前台小王", PASSWORD, "clerk", "project", project)
        users.create(db, "cli", SUPERVISOR, "主管老李", PASSWORD, "supervisor", "project", project)
    finally:
        db.close()


def pinned_page(browser, proxy: str, route: str):
    """A browser of its own (bh.new_page: its own cookies) that nginx has routed to `route` before."""
    page = bh.new_page(browser)
    page.context.add_cookies([{"name": "csm_route", "value": route, "url": proxy}])
    return page


def test_two_processes_behind_nginx_share_the_store_and_keep_each_browser_on_its_process(
        pg_url, browser, tmp_path):
    seed(pg_url)
    work = tmp_path / "apps"  # one CSM_UPLOADS_DIR (work/uploads) for both: the "shared storage"
    env = {"CSM_DB_URL": pg_url}
    unused = tmp_path / "unused.duckdb"  # CSM_DB_URL wins over the DuckDB file
    # each process its own operators' control folder (csm.ops.service; else derived from the URL)
    a = bh.start_app(unused, work, {**env, "CSM_CONTROL_DIR": str(tmp_path / "control-a")})
    try:
        b = bh.start_app(unused, work, {**env, "CSM_CONTROL_DIR": str(tmp_path / "control-b")})
        try:
            addr = {"s1": a.url.removeprefix("http://"), "s2": b.url.removeprefix("http://")}
            prefix = tmp_path / "nginx"
            with running_nginx(prefix, [addr["s1"], addr["s2"]]) as proxy:
                # a new browser gets a route; one that has a route keeps it (no new cookie); a
                # route that no longer exists is replaced
                assert re.fullmatch(r"csm_route=s[12]; Path=/; HttpOnly; SameSite=Lax", route_cookie(proxy) or "")
                assert route_cookie(proxy, "csm_route=s2") is None
                assert (route_cookie(proxy, "csm_route=s9") or "").startswith("csm_route=s")
                journey(browser, proxy, tmp_path / "shots")
            log = access_log(prefix)
        finally:
            bh.stop_app(b)
    finally:
        bh.stop_app(a)

    for route in ("s1", "s2"):
        mine = [r for r in log if r["route"] == route]
        assert mine, f"no request with route {route}"
        wrong = [r for r in mine if r["upstream"] != addr[route]]
        assert not wrong, f"requests of route {route} not on {addr[route]}: {wrong[:5]}"
        assert any(r["uri"].startswith("/_stcore/stream") and r["status"] == "101" for r in mine), route
    clerk = [r for r in log if r["route"] == "s1"]
    sup = [r for r in log if r["route"] == "s2"]
    assert any(r["uri"].startswith("/_stcore/upload_file/") and r["method"] == "PUT" and r["status"] == "204"
               for r in clerk), [r["uri"] for r in clerk]
    assert any(r["uri"].startswith("/media/") and r["status"] == "200" for r in sup), [r["uri"] for r in sup]


def journey(browser, proxy: str, shots: Path) -> None:
    sup = pinned_page(browser, proxy, "s2")
    bh.login(sup, proxy, SUPERVISOR, PASSWORD)
    bh.open_url(sup, proxy, "complaints")  # the desk, empty: process B has read and cached it
    assert not sup.get_by_test_id("stDataFrame").locator("[role=gridcell]", has_text="TS-").count()

    clerk = pinned_page(browser, proxy, "s1")
    bh.login(clerk, proxy, CLERK, PASSWORD)
    bh.open_url(clerk, proxy, "intake")
    for label, option in ((t("field.category1") + " *", "服务"), (t("field.category2") + " *", "清洁卫生")):
        box = clerk.get_by_role("combobox", name=label)
        box.click()
        box.fill(option)
        clerk.keyboard.press("Enter")
        bh.wait_for_app(clerk)
    clerk.get_by_role("textbox", name=t("field.unit_text"), exact=True).fill("8-0808")
    clerk.get_by_role("textbox", name=t("field.complainant") + " *", exact=True).fill("郑女士")
    clerk.get_by_role("textbox", name=t("field.phone"), exact=True).fill("13912348888")
    clerk.get_by_role("textbox", name=t("field.description") + " *", exact=True).fill("楼道垃圾三天没人清理，味道很大。")
    clerk.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    clerk.get_by_text("现场.png").first.wait_for()  # sent through nginx to process A
    bh.wait_for_app(clerk)
    clerk.get_by_role("button", name=t("intake.save"), exact=True).click()
    saved = clerk.get_by_text("已登记投诉 TS-")
    saved.wait_for()
    code = saved.inner_text().split("已登记投诉 ")[1].split("。")[0]
    bh.screenshot(clerk, shots, "deploy-clerk-on-a")
    assert bh.exceptions(clerk) == []

    # process B, at its next rerun: the complaint on the desk, then opened, its photo from the shared folder
    sup.reload()
    sup.get_by_test_id("stSidebarNav").wait_for()
    bh.wait_for_app(sup)
    # the grid's accessible cells (drawn on a canvas, the cells themselves are hidden)
    sup.get_by_test_id("stDataFrame").locator("[role=gridcell]", has_text=code).first.wait_for(state="attached")
    box = sup.get_by_role("textbox", name=t("desk.open"), exact=True)
    box.fill(code)
    box.press("Enter")
    bh.wait_for_app(sup)
    sup.get_by_role("heading", name=re.compile(f"^{code} ")).wait_for()
    with sup.expect_download() as download:
        sup.get_by_role("button", name="📎 现场.png").click()
    assert Path(download.value.path()).read_bytes() == PNG
    bh.screenshot(sup, shots, "deploy-supervisor-on-b")
    assert bh.exceptions(sup) == []
    clerk.context.close()  # the websockets end: nginx logs them
    sup.context.close()
