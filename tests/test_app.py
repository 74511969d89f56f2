"""The app shell under AppTest: login, lockout, menus per role, refusal of pages by URL."""

from __future__ import annotations

import pytest

from csm.navigation import PAGES, allowed
from csm.org import users
from tests.apptest_helpers import app_as, open_page, texts

DEMO_USERS = ["admin", "hq", "manager_b1", "manager_p1", "supervisor1", "clerk1", "clerk2"]


def login(at, username, password):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()


def test_login_page_in_chinese_then_login(db_path):
    at = app_as(None)
    at.run()
    assert not at.exception
    assert "物业客户服务管理系统" in texts(at)
    login(at, "clerk1", "Demo@2026")
    assert not at.exception
    assert at.session_state["csm.user"]["username"] == "clerk1" and at.session_state["csm.session"]
    assert "您好，客服助理 张伟" in texts(at)


def test_wrong_password_shows_message_and_locks_after_five(db_path, db):
    at = app_as(None)
    at.run()
    for _ in range(4):
        login(at, "clerk1", "wrong-password")
        assert "用户名或密码错误。" in texts(at)
    login(at, "clerk1", "wrong-password")
    assert "该账户因多次登录失败已被锁定" in texts(at)
    # even the right password is refused while locked
    login(at, "clerk1", "Demo@2026")
    assert not at.session_state["csm.user"] and "csm.session" not in at.session_state
    assert "该账户因多次登录失败已被锁定" in texts(at)
    assert users.is_locked(users.get(db, "clerk1"))


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_page_for_every_role(db_path, username, db):
    role = users.get(db, username)["role"]
    for spec in PAGES:
        at = open_page(username, spec.path.removeprefix("pages/").removesuffix(".py"))
        assert not at.exception, (username, spec.id, at.exception)
        shown = texts(at)
        if allowed(role, spec.id):
            assert "您的角色无权访问此页面。" not in shown, (username, spec.id)
        else:
            assert "您的角色无权访问此页面。" in shown, (username, spec.id)
            assert not at.dataframe, "a refused page shows no data"


def test_english_interface(db_path, db):
    users.set_lang(db, "manager_b1", "en")  # the choice persists across sessions
    at = open_page("manager_b1", "home", lang="en")
    assert "Hello, 分公司经理 李强" in texts(at)
    assert "Your scope: Branch:" in texts(at)


def test_residents_page_clerk_sees_own_project_only(db_path, db):
    at = open_page("clerk1", "residents")
    df = at.dataframe[0].value
    p1 = db.one("org/project_by_code", {"code": "P001"})["name"]
    assert set(df["project"]) == {p1}


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_allowed_page_in_english(db_path, username, db):
    """Every demo role works its pages in English too: English titles, no exception."""
    from csm.i18n import t

    role = users.get(db, username)["role"]
    users.set_lang(db, username, "en")  # the user's saved choice is what a login applies
    for spec in PAGES:
        if not allowed(role, spec.id):
            continue
        at = open_page(username, spec.path.removeprefix("pages/").removesuffix(".py"), lang="en")
        assert not at.exception, (username, spec.id, at.exception)
        assert at.title and at.title[0].value == t(spec.title_key, lang="en"), (username, spec.id)
