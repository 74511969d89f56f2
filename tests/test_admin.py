"""Administration: the rules of each grid, saving with audit, in-use refusals, users, and the pages."""

from __future__ import annotations

import json
from datetime import date, time

import pandas as pd
import pytest

from csm import admin, sla
from csm.admin import commands
from csm.db import queries
from csm.errors import ConflictError, UserError, ValidationFailed
from csm.org import users
from tests.apptest_helpers import open_page, submit_form, texts
from tests.conftest import branch_id, project_id

ADMIN_PAGES = ["admin_org", "admin_reference", "admin_users", "admin_audit"]


def audit_rows(db, entity, action=None):
    return db.rows("admin/audit_search", {"actor": "admin", "action": action, "entity": entity,
                                          "since": None, "until": None, "limit": 100})


def admin_actor(db, username="admin"):
    from csm.actor import Actor

    return Actor.of(users.get(db, username), tz=db.timezone)


SAVES = {"branch": commands.save_branches, "project": commands.save_projects, "building": commands.save_buildings,
         "unit": commands.save_units, "department": commands.save_departments, "category": commands.save_categories,
         "channel": commands.save_channels, "sla_setting": commands.save_sla_settings,
         "work_calendar": commands.save_calendars, "calendar_override": commands.save_calendar_overrides}


def save(db, grid, base, edited, params=None) -> int:
    """The grid saved through its guarded command, as the administrator."""
    if params:
        return SAVES[grid.entity](db, admin_actor(db), params["project_id"], base, edited)
    return SAVES[grid.entity](db, admin_actor(db), base, edited)


def with_row(frame: pd.DataFrame, **values) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([values])], ignore_index=True)


def refused(call) -> list[str]:
    with pytest.raises(ValidationFailed) as err:
        call()
    return err.value.messages()


def count(db, sql: str, *params) -> int:
    return db._conn.execute(sql, list(params)).fetchone()[0]


def complaints_with(db, column: str, table: str, code: str) -> int:
    return count(db, f"SELECT count(*) FROM complaints WHERE {column} IN (SELECT id FROM {table} WHERE code = ?)",
                 code)


def add_complaint(db, category_code="ENG-LIGHT", project_code="P001"):
    p = db.one("org/project_by_code", {"code": project_code})
    db._conn.execute(
        "INSERT INTO complaints (code, project_id, branch_id, complainant_name, channel_id, received_at,"
        " received_by, category_id, description, forward_due_at, first_response_due_at, resolve_due_at)"
        " SELECT 'TS-TEST-' || (SELECT count(*) + 1 FROM complaints), ?, ?, '张三',"
        " (SELECT id FROM channels WHERE code = 'PHONE'), now(), 'clerk1',"
        " (SELECT id FROM categories WHERE code = ?), '灯不亮', now(), now(), now()",
        [p["id"], p["branch_id"], category_code])


# ---- rules and saving --------------------------------------------------------------------------
def test_branch_duplicate_code_and_empty_name_refused_nothing_saved(db):
    base = admin.load_grid(db, admin.BRANCHES)
    edited = with_row(with_row(base, code="b01", name="重复分公司"), code="B09", name="  ")
    msgs = refused(lambda: save(db, admin.BRANCHES, base, edited))
    assert msgs == ["第 3 行 · 代码：b01 与第 1 行重复", "第 4 行 · 名称：不能为空"]
    assert len(db.rows("admin/branches")) == len(base)


def test_code_rules_format_and_fixed_once_saved(db):
    base = admin.load_grid(db, admin.BRANCHES)
    edited = base.copy()
    edited.loc[0, "code"] = "B77"
    edited = with_row(edited, code="北京", name="北京分公司")
    assert admin.validate_grid(admin.BRANCHES, base, edited) and [p.message() for p in admin.validate_grid(
        admin.BRANCHES, base, edited)] == [
        "第 1 行 · 代码：已保存的代码不能修改（原为 B01）；如需更换，请停用原记录并新增一行",
        "第 3 行 · 代码：只能包含字母、数字、下划线、点或连字符，且以字母或数字开头"]


def test_project_rules_negative_households_no_branch_bad_type(db):
    base = admin.load_grid(db, admin.PROJECTS)
    edited = base.copy()
    edited.loc[0, "households"] = -5
    edited = with_row(edited, code="P900", name="新项目", project_type="castle", households=10)
    msgs = refused(lambda: save(db, admin.PROJECTS, base, edited))
    n = len(base) + 1
    assert msgs == [f"第 {n} 行 · 所属分公司：项目必须属于一个分公司",
                    f"第 {n} 行 · 类型：不是有效的选项",
                    "第 1 行 · 户数：不能为负数"]
    assert db.one("org/project_by_code", {"code": "P900"}) is None
    assert db.rows("admin/projects")[0]["households"] == base.loc[0, "households"]


def test_english_messages(db):
    from csm.i18n import set_lang

    set_lang("en")
    base = admin.load_grid(db, admin.BRANCHES)
    msgs = refused(lambda: save(db, admin.BRANCHES, base, with_row(base, code="B01", name="x")))
    assert msgs == ["Row 3 · Code: B01 duplicates row 1"]


def test_edit_saved_and_audited(db):
    base = admin.load_grid(db, admin.BRANCHES)
    edited = base.copy()
    edited.loc[0, "name"] = "上海东区分公司"
    edited = with_row(edited, code="B03", name="杭州分公司")  # active left empty: new rows are active
    assert save(db, admin.BRANCHES, base, edited) == 2
    rows = {r["code"]: r for r in db.rows("admin/branches")}
    assert rows["B01"]["name"] == "上海东区分公司" and rows["B03"]["active"] is True
    update = audit_rows(db, "branch", "update")[0]
    assert json.loads(update["before"]) == {"code": "B01", "name": base.loc[0, "name"]}
    assert json.loads(update["after"]) == {"code": "B01", "name": "上海东区分公司"}
    create = audit_rows(db, "branch", "create")[0]
    assert json.loads(create["after"]) == {"code": "B03", "name": "杭州分公司", "active": True}
    assert create["entity_id"] == str(rows["B03"]["id"])
    # nothing changed: nothing written
    again = admin.load_grid(db, admin.BRANCHES)
    assert save(db, admin.BRANCHES, again, again.copy()) == 0


def test_a_stale_grid_is_refused_as_a_conflict(db):
    base = admin.load_grid(db, admin.BRANCHES)
    mine, theirs = base.copy(), base.copy()
    theirs.loc[0, "name"] = "别人改的"
    admin.save_grid(db, "hq", admin.BRANCHES, base, theirs)  # another session, meanwhile (grid level)
    mine.loc[0, "name"] = "我改的"
    with pytest.raises(ConflictError) as err:
        save(db, admin.BRANCHES, base, mine)
    assert err.value.message() == "该记录已被其他用户修改，请刷新后重试。"
    assert db.rows("admin/branches")[0]["name"] == "别人改的"


def test_branch_with_projects_cannot_be_deleted(db):
    base = admin.load_grid(db, admin.BRANCHES)
    msgs = refused(lambda: save(db, admin.BRANCHES, base, base.iloc[1:]))
    n = complaints_with(db, "branch_id", "branches", "B01")
    used = "2 个项目、1 个用户" + (f"、{n} 条投诉" if n else "")
    assert msgs == [f"分公司 B01 仍在使用中（{used}），不能删除；请改为停用"]
    assert len(db.rows("admin/branches")) == 2


def test_project_moved_to_another_branch_takes_its_records(db):
    add_complaint(db, project_code="P001")
    base = admin.load_grid(db, admin.PROJECTS)
    edited = base.copy()
    row = edited.index[edited["code"] == "P001"][0]
    edited.loc[row, "branch_id"] = branch_id(db, "B02")
    save(db, admin.PROJECTS, base, edited)
    assert db.one("org/project_by_code", {"code": "P001"})["branch_id"] == branch_id(db, "B02")
    moved = db._conn.execute("SELECT DISTINCT branch_id FROM complaints WHERE project_id = ?",
                             [project_id(db, "P001")]).fetchall()
    assert moved == [(branch_id(db, "B02"),)]
    # every table that copies the branch follows (each has its named move statement)
    for (table,) in db._conn.execute(queries()["admin/tables_with_project_branch"]).fetchall():
        if table == "projects":
            continue
        assert f"admin/project_branch_move_{table}" in queries(), table
        left = db._conn.execute(f"SELECT count(*) FROM {table} WHERE project_id = ? AND branch_id <> ?",
                                [project_id(db, "P001"), branch_id(db, "B02")]).fetchone()[0]
        assert left == 0, table


def test_category_in_use_cannot_be_deleted_but_can_be_deactivated(db):
    add_complaint(db, "ENG-LIGHT")
    base = admin.load_grid(db, admin.CATEGORIES)
    used = base.index[base["code"] == "ENG-LIGHT"][0]
    msgs = refused(lambda: save(db, admin.CATEGORIES, base, base.drop(index=used)))
    n = complaints_with(db, "category_id", "categories", "ENG-LIGHT")
    assert n >= 1
    assert msgs == [f"投诉分类 ENG-LIGHT 仍在使用中（{n} 条投诉），不能删除；请改为停用"]
    assert db.value("admin/category_id_by_code", {"code": "ENG-LIGHT"}) is not None
    edited = base.copy()
    edited.loc[used, "active"] = False
    assert save(db, admin.CATEGORIES, base, edited) == 1
    row = next(r for r in db.rows("admin/categories") if r["code"] == "ENG-LIGHT")
    assert row["active"] is False and row["parent"] == "ENG"


def test_category_with_subcategories_cannot_be_deleted_alone(db):
    db._conn.execute("DELETE FROM complaints WHERE category_id IN (SELECT id FROM categories WHERE code LIKE 'PLN%')")
    base = admin.load_grid(db, admin.CATEGORIES)
    msgs = refused(lambda: save(db, admin.CATEGORIES, base, base[base["code"] != "PLN"]))
    assert msgs == ["投诉分类 PLN 仍在使用中（2 个二级分类），不能删除；请改为停用"]
    # the whole branch of the tree at once is fine when unused
    keep = base[~base["code"].isin(["PLN", "PLN-OVR", "PLN-UNIT"])]
    assert save(db, admin.CATEGORIES, base, keep) == 3
    assert db.value("admin/category_id_by_code", {"code": "PLN"}) is None
    assert len(audit_rows(db, "category", "delete")) == 3


def test_category_tree_two_levels(db):
    base = admin.load_grid(db, admin.CATEGORIES)
    edited = with_row(base, code="ENG-LIFT", parent="ENG-LIGHT", name="电梯", name_en="Lifts")
    edited = with_row(edited, code="SVC-X", parent="NOPE", name="x", name_en="x")
    edited = with_row(edited, code="SEC", parent=None, name="", name_en="Security")
    n = len(base)
    assert refused(lambda: save(db, admin.CATEGORIES, base, edited)) == [
        f"第 {n + 3} 行 · 名称：不能为空",
        f"第 {n + 1} 行 · 上级分类：上级分类 ENG-LIGHT 必须是表中已有的一级分类（分类最多两级）",
        f"第 {n + 2} 行 · 上级分类：上级分类 NOPE 必须是表中已有的一级分类（分类最多两级）"]
    # a new first level and its child in one save; the child's parent is found by code
    edited = with_row(base, code="ELV-GEN", parent="ELV", name="电梯故障", name_en="Lift faults",
                      default_department_id=db.rows("admin/departments")[1]["id"])
    edited = with_row(edited, code="ELV", parent=None, name="电梯", name_en="Lifts", sort=90)
    assert save(db, admin.CATEGORIES, base, edited) == 2
    rows = {r["code"]: r for r in db.rows("admin/categories")}
    assert rows["ELV-GEN"]["parent"] == "ELV" and rows["ELV"]["parent"] is None
    assert rows["ELV-GEN"]["active"] is True and rows["ELV-GEN"]["sort"] == 0


def test_channel_in_use_and_origin(db):
    add_complaint(db)
    base = admin.load_grid(db, admin.CHANNELS)
    edited = with_row(base[base["code"] != "PHONE"], code="APP", name="业主App", name_en="App", origin="martian")
    msgs = refused(lambda: save(db, admin.CHANNELS, base, edited))
    assert msgs == [f"第 {len(base)} 行 · 来源：不是有效的选项"]
    msgs = refused(lambda: save(db, admin.CHANNELS, base, base[base["code"] != "PHONE"]))
    n = complaints_with(db, "channel_id", "channels", "PHONE")
    assert msgs == [f"渠道 PHONE 仍在使用中（{n} 条投诉），不能删除；请改为停用"]


def test_department_rules(db):
    base = admin.load_grid(db, admin.DEPARTMENTS)
    edited = with_row(base, code="ELV", name="电梯部", name_en=None, level="project")
    assert refused(lambda: save(db, admin.DEPARTMENTS, base, edited)) == [
        f"第 {len(base) + 1} 行 · 英文名称：不能为空"]
    # ENG is the default department of categories
    msgs = refused(lambda: save(db, admin.DEPARTMENTS, base, base[base["code"] != "ENG"]))
    assert msgs[0].startswith("部门 ENG 仍在使用中（10 个投诉分类") and msgs[0].endswith("），不能删除；请改为停用")


def test_time_limits_positive_integers_and_consistent(db):
    base = admin.load_grid(db, admin.SLA).astype(object)  # the editor may hand back any number
    assert list(base["id"]) == ["general:normal", "general:urgent", "important:normal", "important:urgent",
                                "major:normal", "major:urgent"]
    edited = base.copy()
    edited.loc[0, "forward_minutes"] = 0
    edited.loc[1, "resolve_hours"] = -48
    edited.loc[2, "first_response_hours"] = 2.5
    edited.loc[3, "resolve_hours"] = None
    edited.loc[4, "first_response_hours"] = 200  # longer than its 168 h to resolve
    msgs = refused(lambda: save(db, admin.SLA, base, edited))
    assert msgs == ["第 1 行 · 转交时限（分钟）：须为正整数",
                    "第 3 行 · 首次响应时限（小时）：须为正整数",
                    "第 2 行 · 处理时限（小时）：须为正整数",
                    "第 4 行 · 处理时限（小时）：不能为空",
                    "第 5 行 · 首次响应时限（小时）：首次响应时限（200 小时）不能长于处理时限（168 小时）"]
    edited = base.copy()
    edited.loc[1, "resolve_hours"] = 36
    assert save(db, admin.SLA, base, edited) == 1
    assert sla.limits_for(db, "general", "urgent").resolve_hours == 36
    row = audit_rows(db, "sla_setting", "update")[0]
    assert row["entity_id"] == "general:urgent" and json.loads(row["after"]) == {"resolve_hours": 36}


def test_working_calendar_and_overrides(db):
    base = admin.load_grid(db, admin.CALENDARS)
    b1 = branch_id(db, "B01")
    edited = base.copy()
    edited.loc[0, "enabled"] = True
    edited.loc[0, "work_end"] = time(8, 30)
    edited.loc[1, "weekdays"] = []
    assert refused(lambda: save(db, admin.CALENDARS, base, edited)) == [
        "第 1 行 · 下班时间：下班时间必须晚于上班时间", "第 2 行 · 工作日：至少选择一个工作日（周一至周日）"]
    edited = base.copy()
    edited.loc[0, "enabled"] = True
    edited.at[0, "weekdays"] = ["1", "2", "3", "4", "5", "6"]
    edited.loc[0, "work_start"] = time(8, 30)
    assert save(db, admin.CALENDARS, base, edited) == 1
    cal = sla.calendar_for_branch(db, b1)
    assert cal.weekdays == frozenset({1, 2, 3, 4, 5, 6}) and cal.work_start == time(8, 30)
    b2 = sla.calendar_for_branch(db, branch_id(db, "B02"))  # not stored: the default (on, since 013)
    assert b2 is not None and b2.weekdays == frozenset({1, 2, 3, 4, 5})

    base = admin.load_grid(db, admin.OVERRIDES)
    edited = with_row(base, branch_id=b1, day=date(2031, 10, 1), kind="holiday", note="国庆")
    edited = with_row(edited, day=date(2031, 9, 28), kind="workday", note="调休")  # all branches
    assert save(db, admin.OVERRIDES, base, edited) == 2
    cal = sla.calendar_for_branch(db, b1)
    assert not cal.is_workday(date(2031, 10, 1)) and cal.is_workday(date(2031, 9, 28))
    base = admin.load_grid(db, admin.OVERRIDES)
    dup = with_row(base, branch_id=b1, day=date(2031, 10, 1), kind="workday")
    assert refused(lambda: save(db, admin.OVERRIDES, base, dup)) == [
        "第 3 行 · 日期：2031-10-01 与第 1 行重复（同一范围同一天只能设置一次）"]


def test_buildings_and_units(db):
    p1 = project_id(db, "P001")
    params = {"project_id": p1}
    base = admin.load_grid(db, admin.BUILDINGS, params)
    assert refused(lambda: save(db, admin.BUILDINGS, base, base.iloc[1:], params))[0] \
        .startswith("楼栋 1 仍在使用中（")
    edited = with_row(base, code="A座", name="A座商铺")
    assert save(db, admin.BUILDINGS, base, edited, params) == 1
    building = next(r["id"] for r in db.rows("admin/buildings", params) if r["code"] == "A座")
    units = admin.load_grid(db, admin.UNITS, params)
    first_code = units.loc[0, "code"]
    bad = with_row(with_row(units, code="A-101", building_id=None), code=first_code, building_id=building)
    n = len(units)
    assert refused(lambda: save(db, admin.UNITS, units, bad, params)) == [
        f"第 {n + 2} 行 · 代码：{first_code} 与第 1 行重复", f"第 {n + 1} 行 · 楼栋：房号必须属于本项目的一栋楼"]
    good = with_row(units, code="A-101", building_id=building, floor=1, area_m2=56.5)
    assert save(db, admin.UNITS, units, good, params) == 1
    assert db.value("revisits/unit_by_code", {"project_id": p1, "code": "A-101"}) is not None


def test_settings_rules_and_save(db):
    values = {"company_name": "示范物业", "timezone": "Mars/Olympus", "lockout_attempts": 0,
              "lockout_minutes": 15}
    assert refused(lambda: admin.save_settings(db, "admin", values)) == [
        "时区：不是有效的时区（例如 Asia/Shanghai）", "登录失败锁定次数：须为 1–20 之间的整数"]
    values |= {"timezone": "Asia/Urumqi", "lockout_attempts": 3}
    assert admin.save_settings(db, "admin", values) == 3
    assert admin.settings(db)["timezone"] == "Asia/Urumqi" and db.timezone == "Asia/Urumqi"
    assert users.lock_policy(db) == (3, 15)
    assert {r["entity_id"] for r in audit_rows(db, "setting")} == {"company_name", "timezone", "lockout_attempts"}


# ---- users --------------------------------------------------------------------------------------
def test_user_update_reset_unlock(db):
    b1 = branch_id(db, "B01")
    users.update(db, "admin", "clerk1", "客服助理 张伟", "manager", "branch", b1, active=True)
    u = users.get(db, "clerk1")
    assert (u["role"], u["scope_kind"], u["scope_id"]) == ("manager", "branch", b1)
    row = audit_rows(db, "user", "update")[0]
    assert json.loads(row["after"]) == {"username": "clerk1", "role": "manager", "scope_kind": "branch",
                                        "scope_id": b1}
    with pytest.raises(ValidationFailed) as err:
        users.update(db, "admin", "clerk1", "", "clerk", "group")
    assert err.value.messages() == ["姓名: 必填", "范围类型: 该角色不能使用此范围"]

    for _ in range(5):
        users.record_failed_login(db, "clerk2")
    assert users.is_locked(users.get(db, "clerk2"))
    users.unlock(db, "admin", "clerk2")
    assert not users.is_locked(users.get(db, "clerk2")) and users.get(db, "clerk2")["failed_attempts"] == 0

    with pytest.raises(UserError) as err:
        users.reset_password(db, "admin", "clerk2", "short")
    assert err.value.message() == "密码: 至少 8 位"
    users.reset_password(db, "admin", "clerk2", "Brand#New1")
    assert users.check_password("Brand#New1", users.get(db, "clerk2")["password_hash"])
    assert [r["action"] for r in audit_rows(db, "user")][:2] == ["password_reset", "unlock"]


def test_the_last_admin_stays(db):
    with pytest.raises(ValidationFailed) as err:
        users.update(db, "admin", "admin", "系统管理员", "admin", "group", active=False)
    assert err.value.messages() == ["不能停用自己的账户"]
    with pytest.raises(ValidationFailed) as err:
        users.update(db, "hq", "admin", "系统管理员", "head_office", "group")
    assert err.value.messages() == ["至少要保留一个启用的系统管理员账户"]
    users.create(db, "admin", "admin2", "第二管理员", "Sx9#kefu-Qm", "admin", "group")
    users.update(db, "admin2", "admin", "系统管理员", "admin", "group", active=False)
    assert users.get(db, "admin")["active"] is False


# ---- pages --------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_opens_each_page_and_clerk_is_refused(db_path, page):
    at = open_page("admin", page)
    assert not at.exception, at.exception
    assert "您的角色无权访问此页面。" not in texts(at)
    at = open_page("clerk1", page)
    assert not at.exception
    assert "您的角色无权访问此页面。" in texts(at)
    assert not at.dataframe and not at.data_editor


def test_head_office_reads_the_organisation_only(db_path):
    at = open_page("hq", "admin_org")
    assert not at.exception
    assert "只读查看；如需修改请联系系统管理员。" in texts(at)
    assert at.dataframe and not at.data_editor
    assert "您的角色无权访问此页面。" in texts(open_page("hq", "admin_reference"))


def test_grid_with_a_duplicate_code_shows_errors_keeps_edits_then_saves(db_path, db):
    at = open_page("admin", "admin_org")
    editor = "admin_org.branches.editor"
    assert at.data_editor(key=editor).value["code"].tolist() == ["B01", "B02"]
    at.session_state[editor] = {"edited_rows": {"1": {"name": "改名分公司"}},
                                "added_rows": [{"code": "B01", "name": "重复"}], "deleted_rows": []}
    at.button(key="admin_org.branches.save").click().run()
    assert not at.exception
    shown = texts(at)
    assert "有 1 处错误，未保存任何内容：" in shown and "第 3 行 · 代码：B01 与第 1 行重复" in shown
    assert [r["name"] for r in db.rows("admin/branches")] != ["改名分公司"] and len(db.rows("admin/branches")) == 2
    # what was typed is still there on the next run
    at.run()
    assert at.session_state[editor]["added_rows"] == [{"code": "B01", "name": "重复"}]
    at.session_state[editor] = {"edited_rows": {"1": {"name": "改名分公司"}},
                                "added_rows": [{"code": "B03", "name": "杭州分公司"}], "deleted_rows": []}
    at.button(key="admin_org.branches.save").click().run()
    assert not at.exception
    assert "已保存 2 处修改。" in texts(at)
    assert {r["code"]: r["name"] for r in db.rows("admin/branches")}["B02"] == "改名分公司"
    assert at.data_editor(key=editor).value["code"].tolist() == ["B01", "B02", "B03"]


def test_grid_with_negative_households_shows_error(db_path, db):
    at = open_page("admin", "admin_org", tab="项目")
    editor = "admin_org.projects.editor"
    at.session_state[editor] = {"edited_rows": {"0": {"households": -3}}, "added_rows": [], "deleted_rows": []}
    at.button(key="admin_org.projects.save").click().run()
    assert "第 1 行 · 户数：不能为负数" in texts(at)
    assert db.rows("admin/projects")[0]["households"] > 0


def test_users_page_creates_a_user(db_path, db):
    at = open_page("admin", "admin_users")
    at.text_input(key="admin_users.new.username").input("clerk9")
    at.text_input(key="admin_users.new.display_name").input("客服助理 九号")
    at.selectbox(key="admin_users.new.role").set_value("clerk")
    at.selectbox(key="admin_users.new.scope").set_value(f"project:{project_id(db, 'P001')}")
    at.text_input(key="admin_users.new.password").input("short")
    at.button(key="FormSubmitter:admin_users.create_form-新建用户").click().run()
    assert "密码: 至少 8 位" in texts(at)
    assert users.get(db, "clerk9") is None
    at.text_input(key="admin_users.new.password").input("Wl7#kefu-Zp")
    at.button(key="FormSubmitter:admin_users.create_form-新建用户").click().run()
    assert not at.exception
    assert "用户 clerk9 已创建。" in texts(at)
    assert users.get(db, "clerk9")["scope_id"] == project_id(db, "P001")
    assert "clerk9" in at.dataframe[0].value["username"].tolist()


def test_audit_page_filters_and_exports(db_path, db):
    base = admin.load_grid(db, admin.BRANCHES)
    edited = base.copy()
    edited.loc[0, "name"] = "审计测试"
    save(db, admin.BRANCHES, base, edited)
    at = open_page("admin", "admin_audit")
    at.selectbox(key="admin_audit.action").set_value("update").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["action"].tolist() == ["修改"] and frame["entity"].tolist() == ["分公司"]
    assert "审计测试" in frame["after"].iloc[0]
    assert at.get("download_button")


def test_an_added_row_left_empty_is_ignored(db):
    base = admin.load_grid(db, admin.PROJECTS)
    edited = with_row(base, active=True, project_type="residential")  # only the column defaults
    assert admin.validate_grid(admin.PROJECTS, base, edited, {"branch_ids": set()}) == []
    assert save(db, admin.PROJECTS, base, edited) == 0


def test_users_page_unlocks_and_refuses_deactivating_oneself(db_path, db):
    for _ in range(5):
        users.record_failed_login(db, "clerk2")
    at = open_page("admin", "admin_users", tab="修改用户")
    assert at.dataframe[0].value.set_index("username").loc["clerk2", "locked"]
    at.selectbox(key="admin_users.pick").set_value("clerk2").run()
    at.button(key="admin_users.edit.clerk2.unlock").click().run()
    assert "clerk2 已解除锁定。" in texts(at)
    assert not users.is_locked(users.get(db, "clerk2"))

    at.selectbox(key="admin_users.pick").set_value("admin").run()
    at.checkbox(key="admin_users.edit.admin.active").uncheck()
    at.button(key="FormSubmitter:admin_users.edit.admin.form-保存").click().run()
    assert "不能停用自己的账户" in texts(at)
    assert users.get(db, "admin")["active"] is True


def test_admin_pages_in_english(db_path, db):
    users.set_lang(db, "admin", "en")
    for page in ADMIN_PAGES:
        at = open_page("admin", page, lang="en")
        assert not at.exception, (page, at.exception)
    at = open_page("admin", "admin_reference", lang="en", tab="Working calendar")
    assert "Reference data" in texts(at) and "Holidays and make-up working days" in texts(at)


# ---- issue 9: the public face (commands / reads with an Actor), rules asked from the domain ----
def test_max_years_is_a_setting_edited_with_the_others(db_path, db):
    from csm import dates
    from csm.admin import commands, reads

    me = admin_actor(db)
    assert dates.years_allowed(db) == 5
    values = {**reads.settings(db, me), dates.YEARS_SETTING: 2}
    assert commands.save_settings(db, me, values) == 1
    assert dates.years_allowed(db) == 2
    assert [r["entity_id"] for r in audit_rows(db, "setting", "update")] == [dates.YEARS_SETTING]
    with pytest.raises(ValidationFailed) as exc:
        commands.save_settings(db, me, {**values, dates.YEARS_SETTING: 0})
    assert exc.value.messages() == ["日期最多距今年数（录入的日期须在此范围内）：须为 1–100 之间的整数"]
    assert dates.years_allowed(db) == 2
    # the settings tab shows it and saves it with the others
    at = open_page("admin", "admin_reference", tab="公司设置")
    assert not at.exception
    assert at.number_input(key="admin_reference.max_years").value == 2
    at.number_input(key="admin_reference.max_years").set_value(7)
    submit_form(at, "admin_reference.settings_form")
    assert not at.exception
    assert dates.years_allowed(db) == 7


def test_lock_shown_and_unlock_offered_by_the_domain_rule(db):
    from datetime import UTC, datetime, timedelta

    from csm.admin import reads

    me = admin_actor(db)
    assert not reads.user(db, me, "clerk2")["can_unlock"]
    users.record_failed_login(db, "clerk2")  # one failure: not locked, but there is a count to clear
    one = reads.user(db, me, "clerk2")
    assert not one["locked"] and one["can_unlock"] and "password_hash" not in one
    for _ in range(4):
        users.record_failed_login(db, "clerk2")
    listing = reads.user_list(db, me).set_index("username")
    assert listing.loc["clerk2", "locked"] and not listing.loc["clerk1", "locked"]
    assert reads.user(db, me, "clerk2")["locked"]
    # at a "now" after the lock ran out, the same rule says unlocked (one clock: the actor's)
    later = admin_actor(db)
    from dataclasses import replace

    later = replace(later, clock=datetime.now(UTC) + timedelta(days=1))
    assert not reads.user_list(db, later).set_index("username").loc["clerk2", "locked"]
    assert users.can_unlock(users.get(db, "clerk2"), later.now())  # the failed count is still there


ISSUE9_PAGES = ["admin_audit", "admin_org", "admin_reference", "admin_users", "account", "residents"]


def test_admin_and_org_pages_call_no_database():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "pages"
    call = re.compile(r"get_db\(|\bdb\.(df|rows|one|value|execute|tx|transaction|scalar)\(")
    found = {p: call.findall((root / f"{p}.py").read_text(encoding="utf-8")) for p in ISSUE9_PAGES}
    assert not {p: c for p, c in found.items() if c}


def test_head_office_reads_the_org_grids_but_cannot_save(db):
    from csm.admin import commands, reads
    from csm.errors import PermissionDenied

    hq = admin_actor(db, "hq")
    base = reads.branches(db, hq)
    edited = base.copy()
    edited.loc[0, "name"] = "总部改名"
    with pytest.raises(PermissionDenied):
        commands.save_branches(db, hq, base, edited)
    assert reads.branches(db, hq).loc[0, "name"] == base.loc[0, "name"]


# ---- issue 13: the admin pages' tabs run lazily; a grid's unsaved edits outlive a tab switch ----
def test_only_the_open_tab_of_reference_data_runs(db_path):
    at = open_page("admin", "admin_reference")
    assert not at.exception
    assert [e.key for e in at.data_editor] == ["admin_reference.departments.editor"]
    assert not at.get("number_input")  # the company settings form is not drawn
    at.session_state["admin_reference.tab"] = "公司设置"
    at.run()
    assert not at.exception
    assert not at.data_editor
    assert at.number_input(key="admin_reference.max_years").value == 5


def test_unsaved_grid_edits_survive_a_tab_switch_and_save_against_their_base(db_path, db):
    at = open_page("admin", "admin_org")
    editor = "admin_org.branches.editor"
    at.session_state[editor] = {"edited_rows": {"1": {"name": "切换前改名"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.session_state["admin_org.tab"] = "项目"
    at.run()
    assert not at.exception and editor not in [e.key for e in at.data_editor]
    at.session_state["admin_org.tab"] = "分公司"
    at.run()
    assert not at.exception
    assert "下表含有尚未保存的修改（离开前录入的）。请保存，或放弃修改并重新读取。" in texts(at)
    assert at.data_editor(key=editor).value["name"].tolist()[1] == "切换前改名"
    assert [r["name"] for r in db.rows("admin/branches")][1] != "切换前改名"  # not saved yet
    at.button(key="admin_org.branches.save").click().run()
    assert not at.exception
    assert "已保存 1 处修改。" in texts(at)
    assert [r["name"] for r in db.rows("admin/branches")][1] == "切换前改名"
    assert "尚未保存的修改" not in texts(at)


def test_a_grid_without_edits_reloads_when_its_tab_opens_again(db_path, db):
    at = open_page("admin", "admin_org")
    at.session_state["admin_org.tab"] = "项目"
    at.run()
    base = admin.load_grid(db, admin.BRANCHES)
    edited = base.copy()
    edited.loc[0, "name"] = "别人改的名字"
    save(db, admin.BRANCHES, base, edited)  # someone else, meanwhile
    at.session_state["admin_org.tab"] = "分公司"
    at.run()
    assert not at.exception
    assert at.data_editor(key="admin_org.branches.editor").value["name"].tolist()[0] == "别人改的名字"
    assert "尚未保存的修改" not in texts(at)


def test_discard_drops_the_kept_draft(db_path, db):
    at = open_page("admin", "admin_org")
    editor = "admin_org.branches.editor"
    at.session_state[editor] = {"edited_rows": {"0": {"name": "不要了"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.session_state["admin_org.tab"] = "项目"
    at.run()
    at.session_state["admin_org.tab"] = "分公司"
    at.run()
    assert "尚未保存的修改" in texts(at)
    at.button(key="admin_org.branches.discard").click().run()
    assert not at.exception
    assert "尚未保存的修改" not in texts(at)
    assert "不要了" not in at.data_editor(key=editor).value["name"].tolist()


def test_users_list_shows_an_empty_department_not_none(db_path):
    at = open_page("admin", "admin_users")
    listing = at.dataframe[0].value.set_index("username")
    assert listing.loc["clerk1", "department"] == ""  # the demo's clerks have no department
    assert "None" not in listing.astype(str).to_numpy().ravel().tolist()
