"""Pick-then-edit forms show and save the values of the record picked, never the previous one's,
and empty database values come out as empty fields, never the text "nan"."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from csm import excel, surveys
from csm.org import users
from csm.org.scope import Scope
from csm.surveys import commands, reads, rules
from tests.apptest_helpers import open_page, submit_form, texts
from tests.conftest import project_id


def params_of(db, username):
    return Scope.of(users.get(db, username)).params()


def act(db, who):
    from tests.test_surveys import act as actor_of

    return actor_of(db, who)


def new_wave(db, issued: dict[str, int], approve=True) -> int:
    ids = {project_id(db, code): n for code, n in issued.items()}
    wave_id = commands.create_wave(db, act(db, "manager_b1"), surveys.WavePlan(
        name="换选测试调查", purpose="检查表单随所选记录更新", questionnaire_id=1,
        starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), forms_issued=ids))
    if approve:
        hq = users.get(db, "hq")
        commands.approve_wave(db, act(db, hq), wave_id, 1)
    return wave_id


def test_null_text_comes_out_of_a_query_as_none(db):
    wave_id = new_wave(db, {"P001": 50})
    rows = db.df("surveys/waves", params_of(db, "manager_b1"))
    row = rows[rows["id"] == wave_id].iloc[0].to_dict()
    assert row["closed_by"] is None and row["staff"] is None


def test_waves_page_shows_no_nan_for_an_unapproved_wave(db_path, db):
    wave_id = new_wave(db, {"P001": 50}, approve=False)
    at = open_page("manager_b1", "survey_waves")
    at.selectbox(key="survey_waves.pick").select(wave_id)
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "批准：—" in shown and "nan" not in shown


def test_issued_count_follows_the_project_picked(db_path, db):
    p1, p2 = project_id(db, "P001"), project_id(db, "P002")
    wave_id = new_wave(db, {"P001": 50, "P002": 70})
    at = open_page("manager_b1", "survey_waves")
    at.selectbox(key="survey_waves.pick").select(wave_id)
    at.run()
    at.selectbox(key=f"survey_waves.issued_project.{wave_id}").select(p1)
    at.run()
    assert at.number_input(key=f"survey_waves.issued_n.{wave_id}.{p1}").value == 50
    at.selectbox(key=f"survey_waves.issued_project.{wave_id}").select(p2)
    at.run()
    assert not at.exception
    assert at.number_input(key=f"survey_waves.issued_n.{wave_id}.{p2}").value == 70
    at.button(key=f"survey_waves.issued_save.{wave_id}").click().run()
    issued = {r["project_id"]: r["forms_issued"] for r in reads.wave_projects(
        db, act(db, "manager_b1"), wave_id).to_dict("records")}
    assert issued == {p1: 50, p2: 70}


def make_action(db, wave_id, owner, problem):
    return commands.create_action(db, act(db, "manager_b1"), surveys.ActionInput(
        wave_id, project_id(db, "P001"), problem, "加强巡查", owner, date(2026, 12, 20),
        dimension=db.df("surveys/dimensions")["code"].iloc[0]))


def test_action_form_shows_the_picked_action_and_an_empty_result_not_nan(db_path, db):
    wave_id = new_wave(db, {"P001": 50})
    a = make_action(db, wave_id, "工程部 王工", "电梯故障多")
    b = make_action(db, wave_id, "秩序部 吴队长", "夜间巡逻少")
    commands.update_action(db, act(db, "manager_b1"), a, 1, measure="加强巡查", owner="工程部 王工", deadline=date(2026, 12, 20),
                          result="已更换主板", status="done")
    at = open_page("manager_b1", "survey_actions")
    at.selectbox(key="survey_actions.wave_filter").select(wave_id)
    at.run()
    at.selectbox(key="survey_actions.pick").select(a)
    at.run()
    assert at.text_input(key=f"survey_actions.owner.{a}").value == "工程部 王工"
    at.selectbox(key="survey_actions.pick").select(b)
    at.run()
    assert not at.exception
    assert at.text_input(key=f"survey_actions.owner.{b}").value == "秩序部 吴队长"
    assert at.text_area(key=f"survey_actions.result.{b}").value == ""
    submit_form(at, "survey_actions.update_form")
    assert not at.exception
    assert db.one("surveys/action", {"id": b, **params_of(db, "manager_b1")})["result"] is None


def test_action_export_shows_an_empty_result_not_nan(db):
    wave_id = new_wave(db, {"P001": 50})
    a = make_action(db, wave_id, "工程部 王工", "电梯故障多")
    make_action(db, wave_id, "秩序部 吴队长", "夜间巡逻少")
    commands.update_action(db, act(db, "manager_b1"), a, 1, measure="加强巡查", owner="工程部 王工", deadline=date(2026, 12, 20),
                          result="已更换主板", status="done")
    acts = reads.actions(db, act(db, "manager_b1"), wave_id)
    assert acts.set_index("owner").loc["秩序部 吴队长", "result"] is None
    sheet = load_workbook(io.BytesIO(excel.frame_to_xlsx(acts, {"owner": "责任人", "result": "整改结果"}))).active
    assert sorted(tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)) == [
        ("工程部 王工", "已更换主板"), ("秩序部 吴队长", None)]


def test_new_action_subject_follows_the_project(db_path, db):
    p1, p2 = project_id(db, "P001"), project_id(db, "P002")
    wave_id = new_wave(db, {"P001": 50, "P002": 70})
    at = open_page("manager_b1", "survey_actions")
    at.selectbox(key="survey_actions.new_wave").select(wave_id)
    at.run()
    at.selectbox(key=f"survey_actions.new_project.{wave_id}").select(p1)
    at.run()
    assert at.selectbox(key=f"survey_actions.new_subject.{wave_id}.{p1}") is not None
    at.selectbox(key=f"survey_actions.new_project.{wave_id}").select(p2)
    at.run()
    assert not at.exception
    assert at.selectbox(key=f"survey_actions.new_subject.{wave_id}.{p2}").value is not None


def test_user_edit_form_shows_the_picked_user(db_path, db):
    at = open_page("admin", "admin_users", tab="修改用户")
    at.selectbox(key="admin_users.pick").select("clerk1")
    at.run()
    assert at.text_input(key="admin_users.edit.clerk1.display_name").value == "客服助理 张伟"
    at.selectbox(key="admin_users.pick").select("clerk2")
    at.run()
    assert at.text_input(key="admin_users.edit.clerk2.display_name").value == "客服助理 刘洋"
    assert at.selectbox(key="admin_users.edit.clerk2.scope").value == f"project:{project_id(db, 'P003')}"


def test_questionnaire_form_shows_the_picked_version(db_path, db):
    items = [{k: i[k] for k in ("item_key", "dimension", "text_zh", "text_en")} for i in rules.items_of(db, 1)]
    second = commands.new_questionnaire_version(db, act(db, "hq"), 1, "简版问卷", "", items[:5])
    at = open_page("hq", "survey_questionnaires")
    at.selectbox(key="survey_questionnaires.base").select(1)
    at.run()
    first_name = at.text_input(key="survey_questionnaires.name.1").value
    at.selectbox(key="survey_questionnaires.base").select(second)
    at.run()
    assert not at.exception
    assert at.text_input(key=f"survey_questionnaires.name.{second}").value == "简版问卷" != first_name



def test_my_pages_have_no_english_placeholder_in_zh(db_path, db):
    for username, page in (("clerk1", "revisits"), ("clerk1", "residents"), ("manager_b1", "survey_actions"),
                           ("manager_b1", "survey_waves"), ("admin", "admin_users"),
                           ("hq", "survey_questionnaires")):
        at = open_page(username, page)
        assert not at.exception
        widgets = list(at.selectbox) + list(at.multiselect)
        assert widgets, page
        assert {w.placeholder for w in widgets} == {"请选择"}, (page, [(w.key, w.placeholder) for w in widgets])
