"""Users: creation rules, password change, lockout after repeated failed logins, audit."""

from __future__ import annotations

import pytest

from csm.errors import UserError, ValidationFailed
from csm.i18n import set_lang
from csm.org import users


def audit_actions(db, actor):
    return [r["action"] for r in db.rows("core/audit_list", {"actor": actor, "action": None, "entity": None,
                                                        "since": None, "limit": 100})]


def test_create_user_refuses_bad_input_naming_the_field(db):
    with pytest.raises(ValidationFailed) as err:
        users.create(db, "admin", "clerk1", "", "short", "clerk", "group", None)
    msgs = err.value.messages()
    assert "用户名: 用户名 clerk1 已存在" in msgs
    assert "姓名: 必填" in msgs
    assert "密码: 至少 8 位" in msgs
    assert "范围类型: 该角色不能使用此范围" in msgs


def test_create_user_in_english(db):
    set_lang("en")
    with pytest.raises(ValidationFailed) as err:
        users.create(db, "admin", "x y", "Name", "longenough", "clerk", "project", 99999)
    assert "Username: must be 2–32 letters, digits, dots, underscores or hyphens" in err.value.messages()
    assert "Branch / project: choose an existing branch or project" in err.value.messages()


def test_created_user_can_log_in_and_is_audited(db):
    users.create(db, "admin", "newclerk", "新助理", "Sx9#kefu-Qm", "clerk", "project", 1)
    u = users.get(db, "newclerk")
    assert users.check_password("Sx9#kefu-Qm", u["password_hash"])
    assert not users.check_password("wrong", u["password_hash"])
    assert users.authenticate(db, "newclerk", "Sx9#kefu-Qm").outcome == "ok"
    rows = db.rows("core/audit_list", {"actor": "admin", "action": "create", "entity": "user",
                                  "since": None, "limit": 10})
    assert rows and '"username": "newclerk"' in rows[0]["after"]
    assert "password" not in rows[0]["after"]


def test_lockout_after_five_failures(db):
    for _i in range(4):
        assert users.record_failed_login(db, "clerk1") is False
    assert users.record_failed_login(db, "clerk1") is True
    u = users.get(db, "clerk1")
    assert u["failed_attempts"] == 5 and users.is_locked(u)
    # even the right password is refused while locked
    assert users.authenticate(db, "clerk1", "Demo@2026").outcome == "locked"
    assert audit_actions(db, "clerk1").count("login_failed") == 5
    users.record_login(db, "clerk1")  # e.g. after the lock expired
    assert users.get(db, "clerk1")["failed_attempts"] == 0


def test_change_password(db):
    with pytest.raises(UserError) as err:
        users.change_password(db, "clerk1", "nope", "NewPass#1", "NewPass#1")
    assert err.value.message() == "当前密码: 当前密码不正确"
    with pytest.raises(UserError) as err:
        users.change_password(db, "clerk1", "Demo@2026", "NewPass#1", "NewPass#2")
    assert err.value.message() == "确认新密码: 两次输入的新密码不一致"
    users.change_password(db, "clerk1", "Demo@2026", "NewPass#1", "NewPass#1")
    assert users.check_password("NewPass#1", users.get(db, "clerk1")["password_hash"])
    assert "password_change" in audit_actions(db, "clerk1")


def test_language_choice_is_stored(db):
    users.set_lang(db, "clerk1", "en")
    assert users.get(db, "clerk1")["lang"] == "en"
    with pytest.raises(UserError):
        users.set_lang(db, "clerk1", "fr")
