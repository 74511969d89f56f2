"""Login sessions kept on the server (issue 12). The browser's cookie holds only a random token
(secrets.token_urlsafe, 256 bits); the table user_sessions holds its SHA-256, the user, when it
was created and last used, its absolute end and whether it was revoked. A session is usable while
it is not revoked, not idle longer than CSM_SESSION_IDLE_MIN (default 30) minutes, not past its
expiry (CSM_SESSION_MAX_HOURS, default 12 h after the login, set by the server: nothing the browser
sends can extend it) and its user is active. Logout revokes the session; a password change, an
administrator's reset and a deactivation revoke every session of the user.

No Streamlit here: csm/web/ui.py sets and reads the cookie and keeps the token in the session."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from csm import config
from csm.db import Database, Tx

TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session
MAX_TOKEN = 128  # longer cookie values are not ours: refused without a lookup


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
    token = secrets.token_urlsafe(32)
    now = at or now_utc()

    def work(tx: Tx) -> None:
        tx.execute("users/session_purge", {"now": now})
        tx.execute("users/session_insert", {"id": digest(token), "user_id": user_id, "created_at": now,
                                            "expires_at": now + max_age()})

    db.transaction(work)
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
