"""Users, roles and login state: password hashes, lockout after failed logins, language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import bcrypt

from csm import audit
from csm.db import Database, Tx
from csm.errors import UserError, ValidationFailed

ROLES = ("clerk", "supervisor", "manager", "head_office", "admin")
# Which scopes each role may have (DOMAIN.md §1: who sees what).
ROLE_SCOPES = {
    "clerk": ("project",),
    "supervisor": ("project",),
    "manager": ("project", "branch"),
    "head_office": ("group",),
    "admin": ("group",),
}
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MIN_PASSWORD = 8


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def now_utc() -> datetime:
    return datetime.now(UTC)


def get(db: Database, username: str) -> dict | None:
    return db.one("users/by_username", {"username": username})


def validate_new_user(
    db_or_tx, username: str, display_name: str, password: str | None, role: str,
    scope_kind: str, scope_id: int | None, lang: str = "zh", check_unique: bool = True,
) -> list[UserError]:
    problems: list[UserError] = []
    if not username or not USERNAME_RE.match(username):
        problems.append(UserError("user.error.username", field="username"))
    elif check_unique and db_or_tx.one("users/by_username", {"username": username}):
        problems.append(UserError("user.error.username_taken", field="username", username=username))
    if not (display_name or "").strip():
        problems.append(UserError("error.required", field="display_name"))
    if password is not None and len(password) < MIN_PASSWORD:
        problems.append(UserError("user.error.password_short", field="password", n=MIN_PASSWORD))
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
) -> int:
    """create_user: validate, insert, audit. password_hash lets demo data reuse one hash."""
    username = (username or "").strip()

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


def credentials(db: Database) -> dict:
    """The credentials dict streamlit-authenticator expects, read from DuckDB on each run.

    A locked user is given the library's own attempt limit so that it refuses the login.
    """
    attempts, _ = lock_policy(db)
    now = now_utc()
    users = {}
    for u in db.rows("users/credentials"):
        users[u["username"]] = {
            "name": u["display_name"],
            "email": u["email"] or f"{u['username']}@example.invalid",
            "password": u["password_hash"],
            "roles": [u["role"]],
            "failed_login_attempts": attempts if is_locked(u, now) else 0,
        }
    return {"usernames": users}


def record_failed_login(db: Database, username: str) -> bool:
    """Count a failed login; lock the account at the limit. Returns True if now locked."""
    attempts, minutes = lock_policy(db)

    def work(tx: Tx) -> bool:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            audit.record(tx, username, "login_failed", "user", None, None, {"known": False})
            return False
        failed = (user["failed_attempts"] or 0) + 1
        locked_until = now_utc() + timedelta(minutes=minutes) if failed >= attempts else None
        tx.execute("users/login_state_set", {"username": username, "failed_attempts": failed,
                                            "locked_until": locked_until})
        audit.record(tx, username, "login_failed", "user", user["id"], None,
                     {"failed_attempts": failed, "locked": locked_until is not None})
        return locked_until is not None

    return db.transaction(work)


def record_login(db: Database, username: str) -> None:
    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        tx.execute("users/login_state_set", {"username": username, "failed_attempts": 0,
                                            "locked_until": None})
        audit.record(tx, username, "login", "user", user["id"] if user else None)

    db.transaction(work)


def record_logout(db: Database, username: str) -> None:
    audit.record_now(db, username, "logout", entity="user")


def change_password(db: Database, username: str, old: str, new: str, confirm: str) -> None:
    user = get(db, username)
    if user is None or not check_password(old or "", user["password_hash"]):
        raise UserError("account.error.old_password", field="old_password")
    if len(new or "") < MIN_PASSWORD:
        raise UserError("user.error.password_short", field="new_password", n=MIN_PASSWORD)
    if new != confirm:
        raise UserError("account.error.mismatch", field="confirm_password")
    if new == old:
        raise UserError("account.error.same", field="new_password")

    def work(tx: Tx) -> None:
        tx.execute("users/password_set", {"username": username, "password_hash": hash_password(new)})
        audit.record(tx, username, "password_change", "user", user["id"])

    db.transaction(work)


def set_lang(db: Database, username: str, lang: str) -> None:
    if lang not in ("zh", "en"):
        raise UserError("user.error.lang", field="lang")
    db.transaction(lambda tx: tx.execute("users/lang_set", {"username": username, "lang": lang}))


# ---- administration (pages/admin_users.py) ---------------------------------------------------
def _keeps_an_admin(tx: Tx, username: str, role: str, active: bool) -> bool:
    return (role == "admin" and active) or (tx.value("admin/active_admins", {"username": username}) or 0) > 0


def update(
    db: Database, actor: str, username: str, display_name: str, role: str, scope_kind: str,
    scope_id: int | None = None, department_id: int | None = None, active: bool = True,
) -> None:
    """update_user: name, role, scope, department, active; never the last active administrator."""

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
        audit.record(tx, actor, "update", "user", user["id"], {k: before[k] for k in ["username", *changed]},
                     {k: row[k] for k in ["username", *changed]})

    db.transaction(work)


def reset_password(db: Database, actor: str, username: str, new_password: str) -> None:
    """An administrator sets a new password; this also lifts a lock."""
    if len(new_password or "") < MIN_PASSWORD:
        raise UserError("user.error.password_short", field="password", n=MIN_PASSWORD)

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            raise UserError("admin.error.unknown_user", field="username")
        tx.execute("users/password_set", {"username": username, "password_hash": hash_password(new_password)})
        audit.record(tx, actor, "password_reset", "user", user["id"], None, {"username": username})

    db.transaction(work)


def unlock(db: Database, actor: str, username: str) -> None:
    """Lift a lock after failed logins before it expires."""

    def work(tx: Tx) -> None:
        user = tx.one("users/by_username", {"username": username})
        if user is None:
            raise UserError("admin.error.unknown_user", field="username")
        tx.execute("users/login_state_set", {"username": username, "failed_attempts": 0, "locked_until": None})
        audit.record(tx, actor, "unlock", "user", user["id"],
                     {"failed_attempts": user["failed_attempts"], "locked_until": user["locked_until"]}, None)

    db.transaction(work)
