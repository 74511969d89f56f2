"""Users, roles and login state: password hashes, lockout after failed logins, language.

Usernames are normalised (NFKC, trimmed, lower case: `normalise`) wherever one comes in: create,
login, lookup, administration. The login check (`authenticate`) costs one bcrypt comparison
whether the username exists or not (a dummy hash for unknown users), and a lock that has expired
starts the failure count again. Sessions: csm/org/sessions.py; the password rule:
csm/org/passwords.py."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import bcrypt

from csm import audit, config
from csm.db import Database, Tx
from csm.errors import UserError, ValidationFailed
from csm.org import passwords, sessions

ROLES = ("clerk", "supervisor", "manager", "head_office", "admin")
# Which scopes each role may have (DOMAIN.md §1: who sees what).
ROLE_SCOPES = {
    "clerk": ("project",),
    "supervisor": ("project",),
    "manager": ("project", "branch"),
    "head_office": ("group",),
    "admin": ("group",),
}
USERNAME_RE = re.compile(r"^[a-z0-9_.-]{2,32}$")  # after normalise(): lower case
MIN_PASSWORD = passwords.MIN_LENGTH
HASH_ROUNDS = 12


def normalise(username: str | None) -> str:
    """The one spelling of a username: full-width letters folded (NFKC), trimmed, lower case."""
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def hash_password(password: str, rounds: int = HASH_ROUNDS) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def now_utc() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """What an unknown username's password is compared with, so that the login costs the same."""
    return hash_password(secrets.token_urlsafe(16))


def get(db: Database, username: str) -> dict | None:
    return db.one("users/by_username", {"username": normalise(username)})


def validate_new_user(
    db_or_tx, username: str, display_name: str, password: str | None, role: str,
    scope_kind: str, scope_id: int | None, lang: str = "zh", check_unique: bool = True,
) -> list[UserError]:
    problems: list[UserError] = []
    username = normalise(username)
    if not username or not USERNAME_RE.match(username):
        problems.append(UserError("user.error.username", field="username"))
    elif check_unique and db_or_tx.one("users/by_username", {"username": username}):
        problems.append(UserError("user.error.username_taken", field="username", username=username))
    if not (display_name or "").strip():
        problems.append(UserError("error.required", field="display_name"))
    if password is not None:
        problems += passwords.problems(password, username, field="password")
    if role not in ROLES:
        problems.append(UserError("user.error.role", field="role"))
    elif scope_kind not in ROLE_SCOPES[role]:
        problems.append(UserError("user.error.scope_for_role", field="scope_kind"))
    elif scope_kind != "group":
        table = "org/branch_exists" if scope_kind == "branch" else "org/project_exists"
        if scope_id is None or not db_or_tx.value(table, {"id": scope_id}):
            problems.append(UserError("user.error.scope_missing", field="scope_id"))
    if lang not in ("zh", "en"):
        problems.append(UserError("user.error.lang", field="lang"))
    return problems


def create(
    db: Database, actor: str | None, username: str, display_name: str, password: str,
    role: str, scope_kind: str, scope_id: int | None = None, lang: str = "zh",
    email: str | None = None, department_id: int | None = None, password_hash: str | None = None,
    must_change: bool = True,
) -> int:
    """create_user: validate, insert, audit. password_hash lets demo data reuse one hash.
    must_change (the default: someone else chose the password) makes the user change it at the
    first login in production mode; `init --production` with a typed password passes False."""
    username = normalise(username)

    def work(tx: Tx) -> int:
        problems = validate_new_user(tx, username, display_name, password, role, scope_kind,
                                     scope_id, lang)
        if problems:
            raise ValidationFailed(problems)
        row = {
            "username": username, "display_name": display_name.strip(), "email": email,
            "password_hash": password_hash or hash_password(password), "role": role,
            "scope_kind": scope_kind, "scope_id": None if scope_kind == "group" else scope_id,
            "department_id": department_id, "lang": lang,
        }
        new_id = tx.execute("users/insert", row)[0][0]
        if must_change:
            tx.execute("users/must_change_set", {"username": username, "must_change": True})
        shown = {k: v for k, v in row.items() if k != "password_hash"}
        audit.record(tx, actor, "create", "user", new_id, None, shown)
        return new_id

    return db.transaction(work)


# ---- login state -------------------------------------------------------------------------
def lock_policy(db: Database) -> tuple[int, int]:
    attempts = int(db.value("core/setting_get", {"key": "lockout_attempts"}) or 5)
    minutes = int(db.value("core/setting_get", {"key": "lockout_minutes"}) or 15)
    return attempts, minutes


def is_locked(user: dict, at: datetime | None = None) -> bool:
    until = user.get("locked_until")
    return until is not None and until > (at or now_utc())


def can_unlock(user: dict, at: datetime | None = None) -> bool:
    """An administrator may unlock a user who is locked or has failed logins counted."""
    return is_locked(user, at) or bool(user.get("failed_attempts"))


def production_mode(db: Database) -> bool:
    """CSM_PRODUCTION=1, or the setting `production` that `python -m csm init --production` writes."""
    return config.production_env() or (db.value("core/setting_get", {"key": "production"}) or "") == "1"


def must_change_now(db: Database, user: dict) -> bool:
    """In production mode a flagged user changes the password before any page."""
    return bool(user.get("must_change_password")) and production_mode(db)


@dataclass
class Login:
    """What a login attempt came to: ok (user set), failed, locked, inactive."""

    outcome: str
    user: dict | None = None
    minutes: int = 0


def authenticate(db: Database, username: str, password: str, at: datetime | None = None) -> Login:
    """The login form's check. One bcrypt comparison on every path (an unknown username is
    compared with a dummy hash), so the answer takes as long for a name that does not exist;
    failures are counted and lock the account at the limit; a lock that has expired starts the
    count again. In production mode, a login with the demo password or one the rule now refuses
    flags the account: the password must be changed before any page."""
    name = normalise(username)[:64]
    user = get(db, name) if name else None
    now = at or now_utc()
    right = check_password(password or "", user["password_hash"] if user else _dummy_hash())
    _, minutes = lock_policy(db)
    if user is None:
        record_failed_login(db, "?", at=now)  # what was typed is not kept: it may be a password
        return Login("failed", minutes=minutes)
    if is_locked(user, now):
        audit.record_now(db, name, "login_refused", entity="user", entity_id=user["id"])
        return Login("locked", minutes=minutes)
    if not right:
        return Login("locked" if record_failed_login(db, name, at=now) else "failed", minutes=minutes)
    if not user["active"]:
        return Login("inactive")
    weak = password == passwords.DEMO_PASSWORD or not passwords.acceptable(password, name)
    record_login(db, name, flag_weak=weak and production_mode(db))
    return Login("ok", user=get(db, name))


def record_failed_login(db: Database, username: str, at: datetime | None = None) -> bool:
    """Count a failed login; lock the account at the limit. Returns True if now locked. After a
    lock has expired the count starts again (one wrong guess per lock period must not keep an
    account locked for ever)."""
    attempts, minutes = lock_policy(db)
    now = at or now_utc()

    def work(tx: Tx) -> bool:
        user = tx.one("users/by_username", {"username": normalise(username)})
        if user is None:
            audit.record(tx, username, "login_failed", "user", None, None, {"known": False})
            return False
        expired = user["locked_until"] is not None and user["locked_until"] <= now
        failed = (0 if expired else (user["failed_attempts"] or 0)) + 1
        locked_until = now + timedelta(minutes=minutes) if failed >= attempts else None
        tx.execute("users/login_state_set", {"username": user["username"], "failed_attempts": failed,
                                            "locked_until": locked_until})
        audit.record(tx, user["username"], "login_failed", "user", user["id"], None,
                     {"failed_attempts": failed, "locked": locked_until is not None})
        return locked_until is not None

    return db.transaction(work)


def record_login(db: Database, username: str, flag_weak: bool = False) -> None:
    username = normalise(username)

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        tx.execute("users/login_state_set", {"username": username, "failed_attempts": 0,
                                            "locked_until": None})
        if flag_weak:
            tx.execute("users/must_change_set", {"username": username, "must_change": True})
        audit.record(tx, username, "login", "user", user["id"] if user else None)

    db.transaction(work)


def record_logout(db: Database, username: str) -> None:
    audit.record_now(db, username, "logout", entity="user")


def change_password(db: Database, username: str, old: str, new: str, confirm: str) -> None:
    """The user's own change: the current password checked, the rule applied; every session of
    the user ends (the caller opens a new one for the browser that changed it)."""
    username = normalise(username)
    user = get(db, username)
    if user is None or not check_password(old or "", user["password_hash"]):
        raise UserError("account.error.old_password", field="old_password")
    problems = passwords.problems(new, username, field="new_password")
    if problems:
        raise problems[0]
    if new == passwords.DEMO_PASSWORD:
        raise UserError("user.error.password_common", field="new_password")
    if new != confirm:
        raise UserError("account.error.mismatch", field="confirm_password")
    if new == old:
        raise UserError("account.error.same", field="new_password")

    def work(tx: Tx) -> None:
        tx.execute("users/password_set", {"username": username, "password_hash": hash_password(new),
                                          "must_change": False})
        sessions.revoke_user(tx, user["id"], "password_change")
        audit.record(tx, username, "password_change", "user", user["id"])

    db.transaction(work)


def set_lang(db: Database, username: str, lang: str) -> None:
    if lang not in ("zh", "en"):
        raise UserError("user.error.lang", field="lang")
    db.transaction(lambda tx: tx.execute("users/lang_set", {"username": normalise(username), "lang": lang}))


# ---- administration (pages/admin_users.py) ---------------------------------------------------
def _keeps_an_admin(tx: Tx, username: str, role: str, active: bool) -> bool:
    return (role == "admin" and active) or (tx.value("admin/active_admins", {"username": username}) or 0) > 0


def update(
    db: Database, actor: str, username: str, display_name: str, role: str, scope_kind: str,
    scope_id: int | None = None, department_id: int | None = None, active: bool = True,
) -> None:
    """update_user: name, role, scope, department, active; never the last active administrator.
    Deactivating ends the user's sessions at once."""
    username = normalise(username)

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            raise UserError("admin.error.unknown_user", field="username")
        problems = validate_new_user(tx, username, display_name, None, role, scope_kind, scope_id,
                                     user["lang"], check_unique=False)
        if actor == username and not active:
            problems.append(UserError("admin.error.self_deactivate"))
        elif not _keeps_an_admin(tx, username, role, active):
            problems.append(UserError("admin.error.last_admin"))
        if problems:
            raise ValidationFailed(problems)
        row = {"username": username, "display_name": display_name.strip(), "role": role,
               "scope_kind": scope_kind, "scope_id": None if scope_kind == "group" else scope_id,
               "department_id": department_id, "active": bool(active)}
        before = {k: user[k] for k in row}
        changed = [k for k in row if row[k] != before[k]]
        if "scope_kind" in changed and "scope_id" not in changed:
            changed.append("scope_id")  # the same id means another branch or project
        if not changed:
            return
        tx.execute("admin/user_update", row)
        if not row["active"]:
            sessions.revoke_user(tx, user["id"], "deactivated")
        audit.record(tx, actor, "update", "user", user["id"], {k: before[k] for k in ["username", *changed]},
                     {k: row[k] for k in ["username", *changed]})

    db.transaction(work)


def reset_password(db: Database, actor: str, username: str, new_password: str) -> None:
    """An administrator sets a new password: this lifts a lock, ends the user's sessions and
    (in production mode) makes the user choose an own password at the next login."""
    username = normalise(username)
    problems = passwords.problems(new_password, username, field="password")
    if problems:
        raise problems[0]

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            raise UserError("admin.error.unknown_user", field="username")
        tx.execute("users/password_set", {"username": username, "password_hash": hash_password(new_password),
                                          "must_change": True})
        sessions.revoke_user(tx, user["id"], "password_reset")
        audit.record(tx, actor, "password_reset", "user", user["id"], None, {"username": username})

    db.transaction(work)


def unlock(db: Database, actor: str, username: str) -> None:
    """Lift a lock after failed logins before it expires."""
    username = normalise(username)

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            raise UserError("admin.error.unknown_user", field="username")
        tx.execute("users/login_state_set", {"username": username, "failed_attempts": 0, "locked_until": None})
        audit.record(tx, actor, "unlock", "user", user["id"],
                     {"failed_attempts": user["failed_attempts"], "locked_until": user["locked_until"]}, None)

    db.transaction(work)
