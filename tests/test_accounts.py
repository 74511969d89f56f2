"""Accounts (issue 12): server-side sessions (logout, password change, reset, deactivation, idle and
absolute expiry, forged cookies), the lock that expires, the login's bcrypt on unknown usernames,
the password rule, normalised usernames (and their migration), production mode and
`python -m csm init --production`."""

from __future__ import annotations

import ast
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from csm import cli, config
from csm.db import Database, migrate, open_database
from csm.errors import UserError, ValidationFailed
from csm.i18n import set_lang
from csm.org import passwords, sessions, users
from csm.web import auth_routes
from tests.apptest_helpers import app_as, submit_form, texts
from tests.conftest import ROOT

DEMO = "Demo@2026"
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def uid(db, username: str) -> int:
    return users.get(db, username)["id"]


# ---- sessions -----------------------------------------------------------------------------------
def test_a_session_resumes_until_logout(db):
    token = sessions.open_session(db, uid(db, "clerk1"))
    assert len(token) >= 40
    assert sessions.resume(db, token)["username"] == "clerk1"
    # the table keeps the hash, never the token
    stored = db._conn.execute("SELECT id FROM user_sessions").fetchall()
    assert stored == [(sessions.digest(token),)] and token not in str(stored)
    sessions.revoke(db, token, "logout")
    assert sessions.resume(db, token) is None
    assert db._conn.execute("SELECT revoked_why FROM user_sessions").fetchone()[0] == "logout"


def test_password_change_reset_and_deactivation_end_every_session(db):
    clerk = uid(db, "clerk1")
    a, b = sessions.open_session(db, clerk), sessions.open_session(db, clerk)
    other = sessions.open_session(db, uid(db, "clerk2"))
    users.change_password(db, "clerk1", DEMO, "Kq8#wuye-Tz", "Kq8#wuye-Tz")
    assert sessions.resume(db, a) is None and sessions.resume(db, b) is None
    assert sessions.resume(db, other)["username"] == "clerk2"  # another user's session stays

    c = sessions.open_session(db, clerk)
    users.reset_password(db, "admin", "clerk1", "Rt5#kefu-Wm")
    assert sessions.resume(db, c) is None
    assert users.get(db, "clerk1")["must_change_password"] is True  # the next login picks its own

    d = sessions.open_session(db, uid(db, "clerk2"))
    users.update(db, "admin", "clerk2", "客服助理 刘洋", "clerk", "project", users.get(db, "clerk2")["scope_id"],
                 active=False)
    assert sessions.resume(db, d) is None and sessions.resume(db, other) is None
    assert sessions.open_count(db, uid(db, "clerk2")) == 0


def test_idle_timeout_and_bounded_expiry(db, monkeypatch):
    monkeypatch.setenv("CSM_SESSION_IDLE_MIN", "30")
    monkeypatch.setenv("CSM_SESSION_MAX_HOURS", "12")
    token = sessions.open_session(db, uid(db, "clerk1"), at=T0)
    assert sessions.resume(db, token, at=T0 + timedelta(minutes=29))
    # used every 20 minutes, it still ends 12 hours after the login
    at = T0
    while at + timedelta(minutes=20) < T0 + timedelta(hours=12):
        at += timedelta(minutes=20)
        assert sessions.resume(db, token, at=at), at
    assert sessions.resume(db, token, at=T0 + timedelta(hours=12)) is None
    # idle 31 minutes: ended, and it stays ended
    idle = sessions.open_session(db, uid(db, "clerk1"), at=T0)
    assert sessions.resume(db, idle, at=T0 + timedelta(minutes=31)) is None
    assert sessions.resume(db, idle, at=T0 + timedelta(minutes=32)) is None
    # a shorter idle time is a setting
    monkeypatch.setenv("CSM_SESSION_IDLE_MIN", "5")
    short = sessions.open_session(db, uid(db, "clerk1"), at=T0)
    assert sessions.resume(db, short, at=T0 + timedelta(minutes=6)) is None


def test_forged_cookies_are_refused(db):
    """The cookie the old login library accepted: username + a far expiry, signed with the key."""
    key = "test-cookie-key-that-is-long-enough-for-hs256"
    forged = jwt.encode({"username": "admin", "exp_date": 4102444800.0}, key, algorithm="HS256")
    assert sessions.resume(db, forged) is None
    assert sessions.resume(db, "x" * 43) is None
    assert sessions.resume(db, "a" * 5000) is None
    assert sessions.resume(db, "") is None and sessions.resume(db, None) is None
    # a real token whose row says it expired: the browser's copy does not count
    token = sessions.open_session(db, uid(db, "admin"), at=T0 - timedelta(days=2))
    assert sessions.resume(db, token) is None


# ---- login --------------------------------------------------------------------------------------
def test_the_failure_count_starts_again_when_a_lock_expires(db):
    for i in range(5):
        users.record_failed_login(db, "clerk1", at=T0 + timedelta(seconds=i))
    u = users.get(db, "clerk1")
    assert u["failed_attempts"] == 5 and users.is_locked(u, T0 + timedelta(minutes=1))
    assert users.authenticate(db, "clerk1", DEMO, at=T0 + timedelta(minutes=5)).outcome == "locked"
    after = T0 + timedelta(minutes=16)  # the 15-minute lock is over
    assert users.authenticate(db, "clerk1", "wrong-guess", at=after).outcome == "failed"
    u = users.get(db, "clerk1")
    assert u["failed_attempts"] == 1 and not users.is_locked(u, after)  # not 6, not locked again
    assert users.authenticate(db, "clerk1", DEMO, at=after).outcome == "ok"
    assert users.get(db, "clerk1")["failed_attempts"] == 0


def test_an_unknown_username_costs_one_bcrypt_like_a_known_one(db, monkeypatch):
    calls = []
    real = users.bcrypt.checkpw

    def counting(password, hashed):
        calls.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(users.bcrypt, "checkpw", counting)
    assert users.authenticate(db, "nobody-here", "whatever-1").outcome == "failed"
    assert len(calls) == 1 and calls[0].decode() == users._dummy_hash()
    assert users.authenticate(db, "clerk1", "whatever-1").outcome == "failed"
    assert len(calls) == 2 and calls[1].decode() == users.get(db, "clerk1")["password_hash"]
    rows = db._conn.execute("SELECT actor FROM audit_log WHERE action = 'login_failed' ORDER BY id").fetchall()
    assert rows[-2:] == [("?",), ("clerk1",)]  # the unknown name typed is not written down


# ---- the password rule --------------------------------------------------------------------------
@pytest.mark.parametrize("password,key", [
    ("password", "user.error.password_common"), ("12345678", "user.error.password_trivial"),
    ("        ", "user.error.password_blank"), ("\t \u3000 ", "user.error.password_blank"),
    ("short", "user.error.password_short"), ("aaaaaaaaaa", "user.error.password_trivial"),
    ("abcdefgh", "user.error.password_trivial"), ("87654321", "user.error.password_trivial"),
    ("qwertyuiop", "user.error.password_trivial"), ("abcabcabc", "user.error.password_trivial"),
    ("90123456", "user.error.password_trivial"), ("Clerk1-is-me", "user.error.password_username"),
    ("P@ssw0rd", "user.error.password_common"), ("Password123", "user.error.password_common"),
    ("woaini1314", "user.error.password_common"), ("zhang1988", "user.error.password_common"),
    ("19880521", "user.error.password_common"), ("Secret#123", "user.error.password_common"),
    ("1qaz2wsx", "user.error.password_trivial"), ("Admin@123", "user.error.password_common"),
])
def test_weak_passwords_are_refused(password, key):
    problems = passwords.problems(password, "clerk1")
    assert [p.key for p in problems] == [key]


@pytest.mark.parametrize("password", ["Kq8#wuye-Tz", "晚上好-物业2026", "correct horse battery", DEMO])
def test_good_passwords_pass(password):
    assert passwords.problems(password, "clerk1") == []


def test_the_shipped_list_and_the_messages():
    listed = passwords.common()
    assert 3000 <= len(listed) <= 50_000
    assert all(len(p) >= 8 and p == p.lower() for p in listed)
    assert {"password", "12345678", "woaini1314", "qwertyuiop"} <= listed
    set_lang("zh")
    with pytest.raises(UserError) as err:
        users.reset_password(None, "admin", "clerk1", "password")
    assert err.value.message() == "密码: 这是常见密码或日期，容易被猜到，请换一个"
    set_lang("en")
    with pytest.raises(UserError) as err:
        users.reset_password(None, "admin", "clerk1", "        ")
    assert err.value.message() == "Password: must not be only spaces"


def test_the_demo_password_is_the_one_tools_demo_uses():
    from tools import demo

    assert demo.DEMO_PASSWORD == passwords.DEMO_PASSWORD


def test_own_change_refuses_weak_and_demo_passwords(db):
    for new in ("12345678", DEMO, "clerk1clerk1x"):
        with pytest.raises(UserError):
            users.change_password(db, "clerk1", DEMO, new, new)
    assert users.check_password(DEMO, users.get(db, "clerk1")["password_hash"])


# ---- usernames ----------------------------------------------------------------------------------
def test_usernames_are_normalised_on_create_login_and_lookup(db):
    users.create(db, "admin", "  Li.Na ", "李娜", "Kq8#wuye-Tz", "clerk", "project", 1)
    assert users.get(db, "li.na")["username"] == "li.na"
    assert users.get(db, "LI.NA ")["display_name"] == "李娜"
    assert users.authenticate(db, "Ｌｉ.Na", "Kq8#wuye-Tz").outcome == "ok"  # full-width letters too
    with pytest.raises(ValidationFailed) as err:
        users.create(db, "admin", "LI.na", "又一个", "Kq8#wuye-Tz", "clerk", "project", 1)
    assert "用户名: 用户名 li.na 已存在" in err.value.messages()


def _db_before_019(tmp_path: Path) -> tuple[Database, Path]:
    early = tmp_path / "migrations"
    early.mkdir()
    for path in sorted(config.MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name[:3]) < 19:
            shutil.copy(path, early / path.name)
    db = Database(str(tmp_path / "old.duckdb"))
    migrate(db, early)
    return db, early


def _add_user(db, username: str) -> None:
    db._conn.execute("INSERT INTO users (username, display_name, password_hash, role, scope_kind) "
                     "VALUES (?, ?, 'x', 'admin', 'group')", [username, username])


def test_the_migration_lowercases_usernames(tmp_path):
    db, early = _db_before_019(tmp_path)
    _add_user(db, "LiNa")
    _add_user(db, "wang")
    shutil.copy(config.MIGRATIONS_DIR / "019_sessions_accounts.sql", early)
    assert migrate(db, early) == [19]
    assert sorted(r[0] for r in db._conn.execute("SELECT username FROM users").fetchall()) == ["lina", "wang"]
    db.close()


def test_the_migration_refuses_usernames_that_collide(tmp_path):
    db, early = _db_before_019(tmp_path)
    _add_user(db, "LiNa")
    _add_user(db, "lina")
    shutil.copy(config.MIGRATIONS_DIR / "019_sessions_accounts.sql", early)
    with pytest.raises(Exception, match="differ only in case or spaces: LiNa, lina"):
        migrate(db, early)
    # nothing changed: both still there, the migration not recorded
    assert sorted(r[0] for r in db._conn.execute("SELECT username FROM users").fetchall()) == ["LiNa", "lina"]
    assert db._conn.execute("SELECT count(*) FROM schema_version WHERE version = 19").fetchone()[0] == 0
    db.close()


# ---- the app ------------------------------------------------------------------------------------
def login(at, username, password=DEMO):
    at.text_input(key="login.username").input(username)
    at.text_input(key="login.password").input(password)
    submit_form(at, "csm.login")


def resumed(token: str):
    """A new AppTest session that brings this token (what the cookie does after a reload)."""
    at = app_as(None)
    at.session_state["csm.session"] = token
    at.run()
    return at


def test_logout_ends_the_session_on_the_server(db_path, db):
    at = app_as(None)
    at.run()
    login(at, "Clerk1 ")  # typed with a capital and a space
    assert "您好，客服助理 张伟" in texts(at)
    token = at.session_state["csm.session"]
    assert sessions.resume(db, token)["username"] == "clerk1"
    at.button(key="csm.logout").click().run()
    assert not at.session_state["csm.user"] and "csm.session" not in at.session_state
    assert sessions.resume(db, token) is None
    again = resumed(token)  # the old token brought back, e.g. a copied cookie
    assert "您好" not in texts(again) and again.text_input(key="login.username").value == ""
    assert "csm.session" not in again.session_state


def test_a_live_token_signs_a_new_session_in(db_path, db):
    token = sessions.open_session(db, uid(db, "supervisor1"))
    assert "您好，客服主任" in texts(resumed(token))


def test_a_password_changed_elsewhere_ends_this_session(db_path, db):
    at = app_as("clerk1")
    at.run()
    assert "您好，客服助理 张伟" in texts(at)
    token = at.session_state["csm.session"]
    users.reset_password(db, "admin", "clerk1", "Rt5#kefu-Wm")  # e.g. by the administrator
    at.run()  # the page's next run (AppTest reruns the page script itself)
    assert "请先登录。" in texts(at) and "您好" not in texts(at)
    assert not at.session_state["csm.user"]
    again = resumed(token)  # through app.py: the login screen says why
    assert "登录已失效" in texts(again)


def test_production_mode_asks_for_a_new_password_before_any_page(db_path, db, monkeypatch):
    monkeypatch.setenv("CSM_PRODUCTION", "1")
    at = app_as(None)
    at.run()
    login(at, "clerk1")  # the demo password: flagged
    assert users.get(db, "clerk1")["must_change_password"] is True
    assert "请先修改密码" in texts(at) and "您好" not in texts(at)
    at.switch_page("pages/complaints.py").run()  # no page behind the gate
    assert "修改密码后才能使用系统" in texts(at) and not at.dataframe
    at = resumed(at.session_state["csm.session"])  # a reload: still the gate
    assert "请先修改密码" in texts(at)
    at.text_input(key="must_change.old").input(DEMO)
    at.text_input(key="must_change.new").input("123456789")
    at.text_input(key="must_change.confirm").input("123456789")
    submit_form(at, "csm.must_change")
    assert "不能是同一字符重复" in texts(at)
    at.text_input(key="must_change.new").input("Kq8#wuye-Tz")
    at.text_input(key="must_change.confirm").input("Kq8#wuye-Tz")
    submit_form(at, "csm.must_change")
    assert "请先修改密码" not in texts(at)
    assert users.get(db, "clerk1")["must_change_password"] is False
    assert sessions.resume(db, at.session_state["csm.session"])["username"] == "clerk1"


def test_without_production_mode_the_demo_logs_in_directly(db_path, db):
    at = app_as(None)
    at.run()
    login(at, "clerk1")
    assert "您好，客服助理 张伟" in texts(at) and not users.must_change_now(db, users.get(db, "clerk1"))


def test_an_account_created_by_an_administrator_changes_its_password_first(db, monkeypatch):
    users.create(db, "admin", "newclerk", "新助理", "Kq8#wuye-Tz", "clerk", "project", 1)
    monkeypatch.setenv("CSM_PRODUCTION", "1")
    assert users.must_change_now(db, users.get(db, "newclerk"))
    users.change_password(db, "newclerk", "Kq8#wuye-Tz", "Rt5#kefu-Wm", "Rt5#kefu-Wm")
    assert not users.must_change_now(db, users.get(db, "newclerk"))


def test_no_widget_uses_a_session_key_of_the_login(db_path):
    """ui.restore_session trusts `authentication_status`/`username` preset by server code only: a
    widget with such a key would let a browser set them."""
    reserved = {"authentication_status", "username", "name", "roles", "email", "csm.session", "csm.user"}
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "csm" / "web").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "key" and isinstance(kw.value, ast.Constant):
                        assert kw.value.value not in reserved, (path.name, kw.value.value)


# ---- python -m csm init --production ------------------------------------------------------------
def test_init_production_creates_one_admin_and_no_demo_data(tmp_path, capsys):
    path = str(tmp_path / "prod.duckdb")
    assert cli.main(["--db", path, "init", "--production", "--admin", " Boss ", "--generate-password"]) == 0
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    db = open_database(path)
    try:
        assert [r["username"] for r in db.rows("admin/users")] == ["boss"]
        assert db.one("org/counts", {"scope_kind": "group", "scope_id": -1})["projects"] == 0
        assert users.production_mode(db)
        result = users.authenticate(db, "boss", password)
        assert result.outcome == "ok" and users.must_change_now(db, result.user)
    finally:
        db.close()
    # a second time: refused, nothing added
    assert cli.main(["--db", path, "init", "--production", "--admin", "other", "--generate-password"]) == 2
    assert "already has users" in capsys.readouterr().err


def test_init_production_with_a_typed_password(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "prod.duckdb")
    typed = iter(["12345678", "12345678"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(typed))
    assert cli.main(["--db", path, "init", "--production", "--admin", "boss"]) == 2
    assert "密码" in capsys.readouterr().err
    typed = iter(["Kq8#wuye-Tz", "Kq8#wuye-Tz"])
    assert cli.main(["--db", path, "init", "--production", "--admin", "boss"]) == 0
    assert "generated" not in capsys.readouterr().out
    db = open_database(path)
    try:
        user = users.authenticate(db, "boss", "Kq8#wuye-Tz").user
        assert user["role"] == "admin" and not users.must_change_now(db, user)
    finally:
        db.close()


def cookie_scripts(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "csm-auth" in h.proto.body or "cookie" in h.proto.body]


def test_the_cookie_is_set_through_a_ticket_not_the_token(db_path, db, monkeypatch):
    """Served through serve.py (the routes mounted): the page gets a one-time ticket to post to
    the cookie route, never the token; the ticket gives the token once; the logout posts the
    clear. (The HTTP side: tests/test_cookie_routes.py and tests/test_browser_httponly.py.)"""
    monkeypatch.setattr(auth_routes, "_mounted", True)
    at = app_as(None)
    at.run()
    login(at, "clerk1")
    [script] = cookie_scripts(at)
    token = at.session_state["csm.session"]
    assert token not in script and "document.cookie" not in script
    ticket = re.search(r"body: '([A-Za-z0-9_-]+)'", script).group(1)
    assert f"fetch('{auth_routes.SESSION_PATH}'" in script and ticket != token
    assert sessions.open_count(db, uid(db, "clerk1")) == 1  # the ticket is not a session
    assert sessions.redeem_ticket(db, ticket) == token
    assert sessions.redeem_ticket(db, ticket) is None  # once
    at.button(key="csm.logout").click().run()
    assert [f"fetch('{auth_routes.LOGOUT_PATH}'" in s for s in cookie_scripts(at)] == [True]


def test_without_the_routes_the_login_writes_no_cookie(db_path, db):
    """AppTest or a bare `streamlit run app.py`: the login works, nothing about a cookie is
    written into the page (and no token ever)."""
    at = app_as(None)
    at.run()
    login(at, "clerk1")
    assert "您好，客服助理 张伟" in texts(at)
    assert cookie_scripts(at) == []
    assert all(at.session_state["csm.session"] not in h.proto.body for h in at.get("html"))


def test_a_cookie_ticket_works_once_within_its_minute(db):
    clerk = uid(db, "clerk1")
    token, ticket = sessions.open_session_with_ticket(db, clerk)
    assert ticket != token and sessions.open_count(db, clerk) == 1
    rows = db._conn.execute("SELECT * FROM login_tickets WHERE id = ?", [sessions.digest(ticket)]).fetchall()
    assert len(rows) == 1 and token not in str(rows)  # the database holds the token sealed, not the token
    assert sessions.redeem_ticket(db, ticket[:-1] + ("A" if ticket[-1] != "A" else "B")) is None
    assert sessions.redeem_ticket(db, ticket) == token
    assert sessions.redeem_ticket(db, ticket) is None  # a replay
    assert sessions.resume(db, token)["username"] == "clerk1"  # the session itself goes on

    _, late = sessions.open_session_with_ticket(db, clerk)
    assert sessions.redeem_ticket(db, late, at=sessions.now_utc() + sessions.TICKET_LIFE) is None
    assert sessions.redeem_ticket(db, late) is None  # an expired ticket is gone, not kept for later
    _, never_sent = sessions.open_session_with_ticket(db, clerk)  # a page closed before it sent it
    sessions.open_session(db, clerk, at=sessions.now_utc() + 2 * sessions.TICKET_LIFE)  # the next login purges it
    assert db.value("users/ticket_seen", {"id": sessions.digest(never_sent)}) == 0

    logged_out, ticket = sessions.open_session_with_ticket(db, clerk)
    sessions.revoke(db, logged_out, "logout")  # logged out before the page called the route
    assert sessions.redeem_ticket(db, ticket) is None

    _, ticket = sessions.open_session_with_ticket(db, clerk)
    db.transaction(lambda tx: sessions.revoke_user(tx, clerk, "password_change"))
    assert sessions.redeem_ticket(db, ticket) is None  # revoked with the user's sessions
    for junk in ("", "x" * 200, "a b", "<script>", None, 42):
        assert sessions.redeem_ticket(db, junk) is None
