"""The two HTTP routes of the login cookie (serve.py mounts them next to Streamlit, st.App).

A Streamlit script cannot send a Set-Cookie header (the page talks over a websocket), so the
cookie used to be written by a script in the page and could not be HttpOnly. Now:

  POST {SESSION_PATH}  body: a cookie ticket (csm.org.sessions.open_session_with_ticket), sent
                       once by a script the login writes into the page (ui._apply_cookie). The
                       ticket is taken (single use, in the database: any app process behind the
                       proxy may answer) and the answer sets the session cookie: HttpOnly,
                       SameSite=Strict, Path=/, Max-Age = the session's maximum age, Secure when
                       the request came over https (directly, or X-Forwarded-Proto from the
                       proxy; CSM_COOKIE_SECURE=1/0 forces it). 204 then; 403 without a cookie
                       for an unknown, reused, expired or revoked ticket.
  POST {LOGOUT_PATH}   clears the cookie (Max-Age=0). The session itself is revoked by the logout
                       in the app (csm.org.sessions.revoke), as before.

The token itself is never in the page, a URL or a script: only the ticket, which is worthless
once used and after TICKET_LIFE. Without these routes (AppTest, `streamlit run app.py`) the
login still works for the open tab; only a reload has no cookie to come back with.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from csm import config
from csm.org import sessions

log = logging.getLogger(__name__)

SESSION_PATH = "/csm-auth/session"  # not /auth/…: Streamlit's own st.login routes live there
LOGOUT_PATH = "/csm-auth/logout"
COOKIE_NAME = "csm_session"
MAX_BODY = 256

_mounted = False  # True in a process started through serve.py (the routes answer there)


def mounted() -> bool:
    return _mounted


def routes() -> list[Route]:
    """For st.App(routes=…); marks this process as one whose pages may use the routes."""
    global _mounted
    _mounted = True
    return [Route(SESSION_PATH, _session, methods=["POST"]), Route(LOGOUT_PATH, _logout, methods=["POST"])]


def secure(request: Request) -> bool:
    setting = config.cookie_secure()
    if setting in ("0", "1"):
        return setting == "1"
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https" or request.url.scheme == "https"


def cookie_header(token: str, max_age: int, is_secure: bool) -> str:
    return (f"{COOKIE_NAME}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}"
            + ("; Secure" if is_secure else ""))


def _no_store(status: int) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


async def _body(request: Request) -> str | None:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return None
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return None


def _db():
    from csm.web import ui  # the process's database handle (st.cache_resource), shared with the pages

    return ui.get_db()


def _redeem(ticket: str) -> str | None:
    return sessions.redeem_ticket(_db(), ticket)


def _cross_site(request: Request) -> bool:
    """A request another site's page made (the browser says so): neither route answers it."""
    return request.headers.get("sec-fetch-site", "same-origin").lower() not in ("same-origin", "none")


async def _session(request: Request) -> Response:
    if _cross_site(request):
        return _no_store(403)
    ticket = await _body(request)
    if not sessions.well_formed(ticket):
        return _no_store(400)
    try:
        token = await run_in_threadpool(_redeem, ticket)
    except Exception:  # the database refused (busy): the browser keeps the tab's session only
        log.exception("cookie ticket not redeemed")
        return _no_store(503)
    if token is None:
        return _no_store(403)
    response = _no_store(204)
    response.headers["Set-Cookie"] = cookie_header(token, int(sessions.max_age().total_seconds()),
                                                   secure(request))
    return response


async def _logout(request: Request) -> Response:
    if _cross_site(request):
        return _no_store(403)
    response = _no_store(204)
    response.headers["Set-Cookie"] = cookie_header("", 0, secure(request))
    return response
