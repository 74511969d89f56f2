"""The shell under AppTest: a restored session is not a new login; the desk's ?complaint= link
opens a complaint in scope only; the built-in English is replaced in the Chinese interface."""

from __future__ import annotations

from csm.org import users
from tests.apptest_helpers import app_as, texts
from tests.conftest import project_id


def logins(db, username: str) -> int:
    return db._conn.execute("SELECT count(*) FROM audit_log WHERE action = 'login' AND actor = ?",
                            [username]).fetchone()[0]


def login(at, username, password="Demo@2026"):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()


def test_only_the_login_form_is_a_login_in_the_audit_log(db_path, db):
    at = app_as(None)
    at.run()
    login(at, "clerk1")
    assert "您好，客服助理 张伟" in texts(at)
    assert logins(db, "clerk1") == 1
    at.run()
    assert logins(db, "clerk1") == 1
    # a session that arrives signed in (what the login cookie restores after a reload)
    for _ in range(3):
        restored = app_as("clerk1")
        restored.run()
        assert "您好，客服助理 张伟" in texts(restored)
    assert logins(db, "clerk1") == 1


def complaint_in(db, project: str) -> tuple[int, str]:
    return db._conn.execute("SELECT id, code FROM complaints WHERE project_id = ? ORDER BY id LIMIT 1",
                            [project_id(db, project)]).fetchone()


def desk(username: str, complaint: str):
    at = app_as(username)
    at.query_params["complaint"] = complaint
    at.run()
    at.switch_page("pages/complaints.py")
    at.run()
    return at


def test_complaint_link_opens_the_complaint_in_scope(db_path, db):
    cid, code = complaint_in(db, "P001")
    at = desk("supervisor1", str(cid))
    assert not at.exception
    assert any(s.value.startswith(f"{code} ") for s in at.subheader), [s.value for s in at.subheader]
    assert at.session_state["complaints.open_id"] == cid


def test_complaint_link_outside_the_scope_opens_nothing(db_path, db):
    cid, code = complaint_in(db, "P001")
    at = desk("clerk2", str(cid))  # clerk2 works in P003
    assert not at.exception
    assert not any(s.value.startswith(f"{code} ") for s in at.subheader)
    assert "complaints.open_id" not in at.session_state or not at.session_state["complaints.open_id"]
    assert "complaint" not in at.query_params
    at = desk("clerk2", "not-a-number")
    assert not at.exception and "complaint" not in at.query_params


def test_chinese_interface_replaces_streamlit_texts(db_path, db):
    at = app_as("admin")
    at.run()
    css = "\n".join(h.proto.body for h in at.get("html"))
    assert 'content: "选择文件"' in css and "不超过 20 MB" in css and 'content: "停止"' in css
    assert '[data-testid="InputInstructions"] { display: none; }' in css
    users.set_lang(db, "admin", "en")  # the saved language is what a session starts in
    en = app_as("admin", lang="en")
    en.run()
    assert "选择文件" not in "\n".join(h.proto.body for h in en.get("html"))
