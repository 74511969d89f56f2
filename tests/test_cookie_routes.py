"""The login cookie's HTTP routes (csm/web/auth_routes.py, mounted by serve.py) called as the
browser calls them, through Starlette's ASGI interface in this process (no server): a ticket
gives an HttpOnly cookie once; a reused, expired, malformed or cross-site ticket gives a 4xx and
no Set-Cookie; the logout clears the cookie. In Chromium: tests/test_browser_httponly.py."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from csm.org import sessions
from csm.web import auth_routes


@pytest.fixture
def app(db, monkeypatch, db_path):
    monkeypatch.setattr(auth_routes, "_mounted", auth_routes._mounted)  # routes() sets it: undone after
    monkeypatch.setattr(auth_routes, "_db", lambda: db)
    monkeypatch.setenv("CSM_SESSION_MAX_HOURS", "8")
    monkeypatch.setenv("CSM_COOKIE_SECURE", "auto")
    return Starlette(routes=auth_routes.routes())


def post(app, path: str, body: str = "", headers: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """(status, Set-Cookie headers) of one POST."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8501)}
    incoming = [{"type": "http.request", "body": body.encode(), "more_body": False}]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    # in a thread of its own: an earlier test of the same worker (AppTest, Streamlit) may have left
    # this thread's event loop marked running, where asyncio.run refuses to start
    failed: list[BaseException] = []

    def call() -> None:
        try:
            asyncio.run(app(scope, receive, send))
        except BaseException as exc:  # noqa: BLE001 (re-raised below, in the test's thread)
            failed.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    worker.join(60)
    if failed:
        raise failed[0]
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], [v.decode() for k, v in start["headers"] if k.decode().lower() == "set-cookie"]


def clerk(db) -> int:
    return db.one("users/by_username", {"username": "clerk1"})["id"]


def test_a_ticket_gives_the_httponly_cookie_once(app, db):
    token, ticket = sessions.open_session_with_ticket(db, clerk(db))
    status, cookies = post(app, auth_routes.SESSION_PATH, ticket, {"Sec-Fetch-Site": "same-origin"})
    assert status == 204
    assert cookies == [f"csm_session={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"]
    assert post(app, auth_routes.SESSION_PATH, ticket) == (403, [])  # a replay


def test_secure_when_the_proxy_says_https(app, db, monkeypatch):
    _, ticket = sessions.open_session_with_ticket(db, clerk(db))
    status, [cookie] = post(app, auth_routes.SESSION_PATH, ticket, {"X-Forwarded-Proto": "https"})
    assert status == 204 and cookie.endswith("; Max-Age=28800; Secure")
    monkeypatch.setenv("CSM_COOKIE_SECURE", "0")  # forced off
    _, ticket = sessions.open_session_with_ticket(db, clerk(db))
    assert not post(app, auth_routes.SESSION_PATH, ticket, {"X-Forwarded-Proto": "https"})[1][0].endswith("Secure")


def test_refused_tickets_set_no_cookie(app, db):
    past = sessions.now_utc() - sessions.TICKET_LIFE - timedelta(seconds=1)
    _, expired = sessions.open_session_with_ticket(db, clerk(db), at=past)
    assert post(app, auth_routes.SESSION_PATH, expired) == (403, [])
    token, revoked = sessions.open_session_with_ticket(db, clerk(db))
    sessions.revoke(db, token, "logout")
    assert post(app, auth_routes.SESSION_PATH, revoked) == (403, [])
    assert post(app, auth_routes.SESSION_PATH, "not a ticket!") == (400, [])
    assert post(app, auth_routes.SESSION_PATH, "A" * 300) == (400, [])
    assert post(app, auth_routes.SESSION_PATH, token) == (403, [])  # the token itself is no ticket
    _, ticket = sessions.open_session_with_ticket(db, clerk(db))
    assert post(app, auth_routes.SESSION_PATH, ticket, {"Sec-Fetch-Site": "cross-site"}) == (403, [])
    assert post(app, auth_routes.SESSION_PATH, ticket)[0] == 204  # the refused cross-site call used nothing


def test_the_logout_route_clears_the_cookie(app):
    assert post(app, auth_routes.LOGOUT_PATH) == (204, ["csm_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"])
    assert post(app, auth_routes.LOGOUT_PATH, headers={"Sec-Fetch-Site": "cross-site"}) == (403, [])
