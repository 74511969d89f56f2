"""Login sessions kept on the server (issue 12). The browser's cookie holds only a random token
(secrets.token_urlsafe, 256 bits); the table user_sessions holds its SHA-256, the user, when it
was created and last used, its absolute end and whether it was revoked. A session is usable while
it is not revoked, not idle longer than CSM_SESSION_IDLE_MIN (default 30) minutes, not past its
expiry (CSM_SESSION_MAX_HOURS, default 12 h after the login, set by the server: nothing the browser
sends can extend it) and its user is active. Logout revokes the session; a password change, an
administrator's reset and a deactivation revoke every session of the user.

The cookie is HttpOnly, so no script in the page ever sees the token: the login opens, in the
same transaction, a cookie ticket (open_session_with_ticket), a second random value living
TICKET_LIFE, stored as a row of login_tickets (its SHA-256) that holds the token sealed with
the ticket. The page sends the ticket once to the server's route
(csm/web/auth_routes.py), which takes the row (redeem_ticket: single use, on every app process
alike since it is in the database) and answers with the Set-Cookie header (docs/security.md).

No Streamlit here: csm/web/ui.py reads the cookie and keeps the token in the session."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from csm import config
from csm.db import Database, Tx

TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session
MAX_TOKEN = 128  # longer cookie values are not ours: refused without a lookup
TICKET_LIFE = timedelta(seconds=60)  # from the login to the page's call of the cookie route


def now_utc() -> datetime:
    return datetime.now(UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=config.session_idle_minutes())


def max_age() -> timedelta:
    return timedelta(hours=config.session_max_hours())


def open_session(db: Database, user_id: int, at: datetime | None = None) -> str:
    """A new session for the user; returns the token for the cookie (shown nowhere else)."""
    return _open(db, user_id, at, with_ticket=False)[0]


def open_session_with_ticket(db: Database, user_id: int, at: datetime | None = None) -> tuple[str, str]:
    """A new session and its cookie ticket (module docstring): (token, ticket). The token stays on
    the server (the Streamlit session); only the ticket goes to the page."""
    token, ticket = _open(db, user_id, at, with_ticket=True)
    return token, ticket or ""


def _open(db: Database, user_id: int, at: datetime | None, with_ticket: bool) -> tuple[str, str | None]:
    token = secrets.token_urlsafe(32)
    ticket = secrets.token_urlsafe(32) if with_ticket else None
    now = at or now_utc()

    def work(tx: Tx) -> None:
        tx.execute("users/session_purge", {"now": now})
        tx.execute("users/tickets_purge", {"now": now})
        tx.execute("users/session_insert", {"id": digest(token), "user_id": user_id, "created_at": now,
                                            "expires_at": now + max_age()})
        if ticket:
            tx.execute("users/ticket_insert", {"id": _ticket_id(ticket), "user_id": user_id, "created_at": now,
                                               "expires_at": now + TICKET_LIFE, "sealed": _seal(token, ticket)})

    db.transaction(work)
    return token, ticket


def _ticket_id(ticket: str) -> str:
    return digest(ticket)


def _pad(ticket: str, n: int) -> bytes:
    return hashlib.shake_256(b"csm.cookie-ticket:" + ticket.encode("utf-8")).digest(n)


def _seal(token: str, ticket: str) -> str:
    """The token XOR a key stream drawn from the ticket: the database row alone does not give it."""
    raw = token.encode("ascii")
    return bytes(a ^ b for a, b in zip(raw, _pad(ticket, len(raw)), strict=True)).hex()


def _unseal(sealed: str, ticket: str) -> str | None:
    try:
        raw = bytes.fromhex(sealed)
        return bytes(a ^ b for a, b in zip(raw, _pad(ticket, len(raw)), strict=True)).decode("ascii")
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def well_formed(value: object) -> bool:
    """A token or ticket as secrets.token_urlsafe makes them (what may be written into a page)."""
    return (isinstance(value, str) and 0 < len(value) <= MAX_TOKEN and value.isascii()
            and value.replace("-", "").replace("_", "").isalnum())


def redeem_ticket(db: Database, ticket: object, at: datetime | None = None) -> str | None:
    """The session token a cookie ticket stands for, once: the row is taken away whatever the
    outcome, so a second call (a replay, another process) gets None; None also when the ticket is
    unknown, malformed, older than TICKET_LIFE, or its session is no longer usable (logged out,
    password changed, user deactivated: resume says so)."""
    if not well_formed(ticket):
        return None
    ticket_id = _ticket_id(str(ticket))
    if not db.value("users/ticket_seen", {"id": ticket_id}):
        return None  # unknown or already taken: no transaction (nothing to commit)
    row = db.transaction(lambda tx: tx.one("users/ticket_take", {"id": ticket_id}), reference=False)
    now = at or now_utc()
    if row is None or row["expires_at"] <= now or not row["sealed"]:
        return None
    token = _unseal(row["sealed"], str(ticket))
    if token is None or resume(db, token, at=now) is None:
        return None
    return token


def resume(db: Database, token: str | None, at: datetime | None = None) -> dict | None:
    """The active user of a usable session, or None (unknown, forged, revoked, idle, expired,
    user deactivated). A session idle too long is revoked on the spot, so it stays ended."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    row = db.one("users/session_user", {"id": digest(token)})
    if row is None:
        return None
    now = at or now_utc()
    if row["session_revoked"] is not None or row["session_expires"] <= now or not row["active"]:
        return None
    if row["session_last_seen"] + idle_limit() <= now:
        revoke(db, token, "idle", at=now)
        return None
    if now - row["session_last_seen"] >= TOUCH_EVERY:
        db.bookkeeping("users/session_touch", {"id": row["session_id"], "now": now})  # cached figures stay
    return {k: v for k, v in row.items() if not k.startswith("session_")}


def revoke(db: Database, token: str | None, why: str, at: datetime | None = None) -> None:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return
    now = at or now_utc()
    db.transaction(lambda tx: tx.execute("users/session_revoke", {"id": digest(token), "now": now, "why": why}))


def revoke_user(tx: Tx, user_id: int, why: str, at: datetime | None = None) -> None:
    """Inside the transaction that changes the password or deactivates the user."""
    tx.execute("users/sessions_revoke_user", {"user_id": user_id, "now": at or now_utc(), "why": why})


def open_count(db: Database, user_id: int, at: datetime | None = None) -> int:
    return int(db.value("users/sessions_open_count", {"user_id": user_id, "now": at or now_utc()}) or 0)
