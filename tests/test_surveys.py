"""Satisfaction surveys: the seed 002 formula everywhere, waves and approval, entry, import, tokens,
follow-up revisits, corrective actions, the pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from csm import surveys
from csm.actor import Actor
from csm.errors import PermissionDenied, UserError, ValidationFailed
from csm.org import users
from csm.org.scope import GROUP, Scope
from csm.surveys import commands, imports, reads, rules, self_service
from tests.apptest_helpers import open_page, texts
from tests.conftest import project_id

SEED_002 = [4] * 40 + [3] * 30 + [2] * 10 + [1] * 20 + [None] * 5  # → 80 / 100 = 80.0%


def user(db, name):
    return users.get(db, name)


def act(db, who) -> Actor:
    """The Actor of a demo user (by name or users row), on the company clock."""
    return Actor.of(who if isinstance(who, dict) else user(db, who), tz=db.timezone)


def running_until(db) -> date:
    """An end date still ahead (a wave's links expire after it): 30 Nov 2026, or later when the
    tests run after it."""
    from datetime import timedelta

    from csm import dates

    return max(date(2026, 11, 30), dates.today(db.timezone) + timedelta(days=60))


def make_wave(db, projects: dict[str, int] | None = None, creator="supervisor1", approver="manager_p1",
              approve=True) -> int:
    projects = projects or {"P001": 120}
    ids = {project_id(db, code): n for code, n in projects.items()}
    wave_id = commands.create_wave(db, act(db, creator), surveys.WavePlan(
        name="2026年下半年客户满意度调查", purpose="了解业主对各项服务的满意程度", questionnaire_id=1,
        starts_on=date(2026, 10, 1), ends_on=running_until(db), forms_issued=ids,
        target="全体业主", staff="客服中心全体"))
    if approve:
        a = user(db, approver)
        commands.approve_wave(db, act(db, a), wave_id, 1)
    return wave_id


def item_keys(db):
    return [i["item_key"] for i in rules.items_of(db, 1)]


def seed_forms(db, pid):
    """105 forms whose first item carries the seed's example; the other items are unrated."""
    first = item_keys(db)[0]
    return [surveys.FormInput(project_id=pid, ratings={first: r}, unit_text=f"T-{n:03d}", row=n + 1,
                              comments=None if r is not None else "无意见")
            for n, r in enumerate(SEED_002)]


# ---- the formula -----------------------------------------------------------------------------------
def test_seed_002_example_is_80_percent_in_domain_and_in_every_query(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    commands.enter_forms(db, act(db, "clerk1"), wave_id, seed_forms(db, pid), confirm_incomplete=True)
    first = item_keys(db)[0]
    for who in ("hq", "clerk1", "manager_b1"):
        a = act(db, who)
        p = a.params()
        items = reads.satisfaction(db, a, wave_id, "item").set_index("key")
        row = items.loc[first]
        assert (row.n_very_satisfied, row.n_satisfied, row.n_fairly_satisfied, row.n_unsatisfied,
                row.n_unrated) == (40, 30, 10, 20, 5)
        assert round(row.satisfaction_rate * 100, 1) == 80.0
        # every other level and every page query gives the same 80.0% (the other items are unrated)
        for level in ("wave", "branch", "project", "dimension"):
            rates = reads.satisfaction(db, a, wave_id, level)["satisfaction_rate"].dropna()
            assert [round(r * 100, 1) for r in rates] == [80.0], level
        if who != "clerk1":  # the analysis figures are the managers' (the clerk sees the entry page's)
            assert round(reads.summary(db, a, wave_id)["satisfaction_rate"] * 100, 1) == 80.0
        matrix = db.df("surveys/item_project_matrix", {**p, "wave_id": wave_id, "branch_id": None,
                                                       "max_projects": 40})
        assert round(matrix.set_index("item_key").loc[first, "satisfaction_rate"] * 100, 1) == 80.0
        trend = db.df("surveys/trend", {**p, "group_by": "all", "project_ids": None, "item_key": None,
                                       "dimension": None})
        ours = trend[trend["wave_id"] == wave_id]  # the demo's own waves are in the trend too
        assert [round(r * 100, 1) for r in ours["satisfaction_rate"]] == [80.0]
    # the export the analysis page offers carries the same figure
    shown = surveys.statistics_table(reads.satisfaction(db, act(db, "hq"), wave_id, "item"))
    data = surveys.statistics_xlsx(shown, {"key": "项目代码", "satisfaction_rate": "满意率"})
    ws = load_workbook(io.BytesIO(data)).active
    exported = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert exported[first] == "80.0%"
    # clerk2 (another project and branch) sees none of it
    assert reads.satisfaction(db, act(db, "clerk2"), wave_id, "item").empty


def test_satisfaction_macro_excludes_unrated_and_is_undefined_without_ratings(db):
    cur = db.cursor()
    assert cur.execute("SELECT survey_satisfaction(80, 20)").fetchone()[0] == pytest.approx(0.8)
    assert cur.execute("SELECT survey_satisfaction(0, 0)").fetchone()[0] is None
    cur.close()


@pytest.mark.parametrize("typed, expected", [
    (4, 4), ("4", 4), (4.0, 4), ("很满意", 4), ("非常满意", 4), ("满意", 3), (" 较满意 ", 2),
    ("不满意", 1), ("1", 1), (None, None), ("", None), ("未表态", None), (float("nan"), None)])
def test_parse_rating(typed, expected):
    assert surveys.parse_rating(typed) == expected


@pytest.mark.parametrize("typed", [5, "0", "好", "satisfiedish", 2.5, True])
def test_parse_rating_refuses(typed):
    with pytest.raises(ValueError):
        surveys.parse_rating(typed)


# ---- waves ---------------------------------------------------------------------------------------------
def test_wave_needs_approval_by_the_manager_not_its_author(db):
    wave_id = make_wave(db, approve=False)
    pid = project_id(db, "P001")
    sup = user(db, "supervisor1")
    with pytest.raises(PermissionDenied):  # a supervisor approves no plan (policy surveys.approve_wave)
        commands.approve_wave(db, act(db, sup), wave_id, 1)
    own = make_wave(db, creator="manager_p1", approve=False)  # nor does a manager approve their own
    with pytest.raises(UserError) as exc:
        commands.approve_wave(db, act(db, "manager_p1"), own, 1)
    assert exc.value.message() == "编制人不能批准自己编制的调查计划。"
    assert not reads.wave_rights(db, act(db, "manager_p1"), own)["approve"]
    # no form before approval
    with pytest.raises(UserError) as exc:
        commands.enter_forms(db, act(db, "clerk1"), wave_id, seed_forms(db, pid)[:1], confirm_incomplete=True)
    assert exc.value.message() == "该调查计划尚未批准，不能录入问卷。"
    # the branch manager of P001 may approve a project wave
    mb1 = user(db, "manager_b1")
    commands.approve_wave(db, act(db, mb1), wave_id, 1)
    wave = db.one("surveys/wave", {"id": wave_id})
    assert (wave["status"], wave["approved_by"]) == ("approved", "manager_b1")


def test_group_wave_is_approved_by_head_office_only(db):
    pids = {"P001": 10, "P003": 12}
    wave_id = commands.create_wave(db, act(db, "manager_b1"), surveys.WavePlan(
        "分公司调查", "了解满意度", 1, date(2026, 10, 1), date(2026, 10, 31),
        {project_id(db, "P001"): 10}))
    assert db.one("surveys/wave", {"id": wave_id})["level"] == "branch"
    group_wave = commands.create_wave(db, act(db, "hq"), surveys.WavePlan(
        "集团调查", "了解满意度", 1, date(2026, 10, 1), date(2026, 10, 31),
        {project_id(db, c): n for c, n in pids.items()}))
    mp1 = user(db, "manager_p1")
    with pytest.raises(UserError) as exc:
        commands.approve_wave(db, act(db, mp1), group_wave, 1)
    assert exc.value.key == "survey.error.approver_group"


def test_wave_plan_validation_names_the_fields(db):
    with pytest.raises(ValidationFailed) as exc:
        commands.create_wave(db, act(db, "supervisor1"), surveys.WavePlan("", "", 1, date(2026, 10, 5), date(2026, 10, 1),
                                                      {project_id(db, "P001"): 0}))
    messages = exc.value.messages()
    assert "活动名称: 必填项。" in messages or any(m.startswith("活动名称") for m in messages)
    assert any(m.startswith("调查目的") for m in messages)
    assert any(m.startswith("结束日期") for m in messages)
    assert any("发放数量须为正整数" in m for m in messages)
    # a project outside the author's scope is refused
    with pytest.raises(ValidationFailed):
        commands.create_wave(db, act(db, "supervisor1"), surveys.WavePlan("x", "y", 1, date(2026, 10, 1), date(2026, 10, 2),
                                                      {project_id(db, "P003"): 5}))


def test_closed_wave_is_read_only(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    mp1 = user(db, "manager_p1")
    commands.close_wave(db, act(db, mp1), wave_id, 2)
    with pytest.raises(UserError) as exc:
        commands.enter_forms(db, act(db, "clerk1"), wave_id, seed_forms(db, pid)[:1], confirm_incomplete=True)
    assert exc.value.message() == "该调查活动已结束，数据只读，不能再录入或修改。"
    with pytest.raises(UserError):
        commands.set_forms_issued(db, act(db, mp1), wave_id, pid, 50)


# ---- entry ---------------------------------------------------------------------------------------------
def test_entry_validates_each_cell_and_saves_nothing_on_error(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    keys = item_keys(db)
    good = surveys.FormInput(pid, {k: "满意" for k in keys}, unit_text="1-0101", row=1)
    bad = surveys.FormInput(pid, {keys[0]: "好", keys[1]: 4}, unit_text="1-0102", row=2)
    with pytest.raises(ValidationFailed) as exc:
        commands.enter_forms(db, act(db, "clerk1"), wave_id, [good, bad], confirm_incomplete=True)
    assert exc.value.messages() == [
        "第 2 行 客服人员服务态度：“好”不是有效评价（请填 4/3/2/1 或 很满意/满意/较满意/不满意，空白为未表态）"]
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    # the same household twice, in one save or across saves, is refused
    with pytest.raises(ValidationFailed) as exc:
        commands.enter_forms(db, act(db, "clerk1"), wave_id, [good, surveys.FormInput(pid, {keys[0]: 4},
                                                                           unit_text="1-0101", row=2)], confirm_incomplete=True)
    assert "房号 1-0101 本次调查已有问卷" in exc.value.messages()[0]
    # clerk1 cannot enter for P003
    with pytest.raises(ValidationFailed):
        commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(project_id(db, "P003"), {keys[0]: 4},
                                                                      row=1)], confirm_incomplete=True)


def test_unsatisfied_or_low_score_form_opens_one_survey_revisit(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    keys = item_keys(db)
    happy = surveys.FormInput(pid, {k: 4 for k in keys}, unit_text="1-0101", respondent_name="张伟")
    one_bad = surveys.FormInput(pid, {**{k: 4 for k in keys}, keys[8]: "不满意"}, unit_text="1-0102",
                                respondent_name="李娜", respondent_phone="13800000000")
    low = surveys.FormInput(pid, {k: 2 for k in keys}, unit_text="1-0103")  # 60 points, nothing unsatisfied
    out = commands.enter_forms(db, act(db, "clerk1"), wave_id, [happy, one_bad, low], confirm_incomplete=True)
    assert out[0]["revisit_task_id"] is None and out[0]["score"] == 100
    assert out[1]["score"] == pytest.approx(29 * 100 / 30)
    assert out[2]["score"] == 60
    task = db.one("revisits/task_get", {"id": out[1]["revisit_task_id"]})
    assert (task["kind"], task["survey_response_id"], task["contact_name"], task["unit_text"]) == (
        "survey", out[1]["id"], "李娜", "1-0102")
    assert "电梯运行及维护保养" in task["note"]
    assert out[2]["revisit_task_id"] is not None
    low_list = db.df("surveys/low_scores", {**GROUP.params(), "wave_id": wave_id, "threshold": 70, "limit": 10})
    assert low_list["id"].tolist() == [out[2]["id"]]


def test_weights_are_configurable(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    db.execute("surveys/weight_set", {"rating": 2, "weight": 70})
    out = commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: 2 for k in item_keys(db)})], confirm_incomplete=True)
    assert out[0]["score"] == 70 and out[0]["revisit_task_id"] is None


def test_return_rate_per_project_flags_below_80(db):
    wave_id = make_wave(db, {"P001": 10, "P002": 4}, creator="manager_b1", approver="hq")
    keys = item_keys(db)
    p1, p2 = project_id(db, "P001"), project_id(db, "P002")
    forms = [surveys.FormInput(p1, {keys[0]: 4}, unit_text=f"A{n}") for n in range(7)]
    forms += [surveys.FormInput(p2, {keys[0]: 3}, unit_text=f"B{n}") for n in range(4)]
    commands.enter_forms(db, act(db, "manager_b1"), wave_id, forms, confirm_incomplete=True)
    rates = reads.wave_projects(db, act(db, "manager_b1"), wave_id).set_index("project_code")
    assert rates.loc["P001", "return_rate"] == pytest.approx(0.7) and rates.loc["P001", "below_target"]
    assert rates.loc["P002", "return_rate"] == 1.0 and not rates.loc["P002", "below_target"]
    assert reads.summary(db, act(db, "hq"), wave_id)["projects_below_target"] == 1


# ---- Excel import --------------------------------------------------------------------------------------
def filled_template(db, wave_id, rows):
    wave = db.one("surveys/wave", {"id": wave_id})
    data = imports.template_xlsx(db, wave, [{"project_code": "P001"}])
    wb = load_workbook(io.BytesIO(data))
    ws = wb[imports.SHEET]
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def form_row(unit, ratings, form_no=None):
    return ["P001", form_no, unit, None, None, "2026-10-20", *ratings]


def test_template_has_items_as_columns_and_validation_lists(db):
    wave_id = make_wave(db)
    wave = db.one("surveys/wave", {"id": wave_id})
    wb = load_workbook(io.BytesIO(imports.template_xlsx(db, wave, [{"project_code": "P001"}])))
    ws = wb[imports.SHEET]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["项目编号", "问卷编号", "房号", "住户姓名", "联系电话", "回收日期"]
    assert header[6] == "01 客服人员服务态度 [cs_attitude]" and header[-1] == "意见和建议"
    assert len(header) == 6 + 30 + 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("很满意" in dv.formula1 and "G2" in str(dv.sqref) for dv in lists)
    assert wb["_wave"].sheet_state == "hidden"


def test_import_good_file_then_duplicate_adds_nothing(db):
    wave_id = make_wave(db)
    data = filled_template(db, wave_id, [form_row("1-0101", ["很满意"] * 30),
                                         form_row("1-0102", [4] * 29 + ["不满意"]),
                                         form_row("1-0103", ["满意", None, "较满意"] + [3] * 27)])
    out = commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx", confirm_incomplete=True)
    assert len(out) == 3 and sum(1 for o in out if o["revisit_task_id"]) == 1
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 3
    with pytest.raises(UserError) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx", confirm_incomplete=True)
    assert exc.value.message() == "该文件已导入过，未重复导入任何问卷。"
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 3


def test_import_one_bad_cell_imports_nothing_and_names_the_cell(db):
    wave_id = make_wave(db)
    ratings = ["很满意"] * 30
    bad = list(ratings)
    bad[8] = "还行"  # item 09, column O
    data = filled_template(db, wave_id, [form_row("1-0101", ratings), form_row("1-0102", bad),
                                         form_row("1-0103", ratings)])
    with pytest.raises(ValidationFailed) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx", confirm_incomplete=True)
    assert exc.value.messages() == [
        "第 3 行 O3「电梯运行及维护保养」：“还行”不是有效评价（请填 4/3/2/1 或 很满意/满意/较满意/不满意，空白为未表态）"]
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    # unknown project code and a bad date are named too
    data = filled_template(db, wave_id, [["P999", None, "1-0101", None, None, "明天", *ratings]])
    with pytest.raises(ValidationFailed) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx", confirm_incomplete=True)
    assert [m.split("：")[0] for m in exc.value.messages()] == ["第 2 行 A2「项目编号」", "第 2 行 F2「回收日期」"]


def test_import_refuses_another_waves_template(db):
    first = make_wave(db)
    second = make_wave(db)
    data = filled_template(db, first, [form_row("1-0101", [4] * 30)])
    with pytest.raises(UserError) as exc:
        commands.import_forms(db, act(db, "clerk1"), second, data, "forms.xlsx", confirm_incomplete=True)
    assert exc.value.key == "survey.import.other_wave"


# ---- self-service tokens -------------------------------------------------------------------------------
def test_token_answers_once_then_refused(db):
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    n = commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    units = db.value("surveys/units_without_token", {"wave_id": wave_id, "project_id": pid})
    assert n > 0 and units == 0
    assert commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid) == 0
    tokens = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})
    token = tokens["token"].iloc[0]
    assert len(token) >= 16 and tokens["token"].is_unique
    info = self_service.token_info(db, token)
    assert info["unit_text"] == tokens["unit_text"].iloc[0]
    out = self_service.answer_by_token(db, token, {k: 3 for k in item_keys(db)}, "电梯经常停")
    response = db.one("surveys/response", {"id": out["id"], **GROUP.params()})
    assert (response["source"], response["unit_text"], response["comments"]) == ("self", info["unit_text"],
                                                                                   "电梯经常停")
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 1  # counts with the paper forms
    with pytest.raises(UserError) as exc:
        self_service.answer_by_token(db, token, {k: 1 for k in item_keys(db)})
    assert exc.value.message() == "此链接已填写过问卷，每户只能提交一次。"
    with pytest.raises(UserError):
        self_service.token_info(db, token)
    with pytest.raises(UserError) as exc:
        self_service.token_info(db, "no-such-token")
    assert exc.value.key == "survey.self.unknown_token"


# ---- corrective actions --------------------------------------------------------------------------------
def test_corrective_action_overdue_and_improvement_in_next_wave(db):
    pid = project_id(db, "P001")
    keys = item_keys(db)
    first = make_wave(db)
    commands.enter_forms(db, act(db, "clerk1"), first, [surveys.FormInput(pid, {keys[8]: r}, unit_text=f"U{n}")
                                              for n, r in enumerate([1, 1, 4, 4])], confirm_incomplete=True)
    mp1 = user(db, "manager_p1")
    params = act(db, mp1)
    overdue_before = reads.action_counts(db, params)["overdue"]  # the demo's
    action_id = commands.create_action(db, act(db, "manager_p1"), surveys.ActionInput(
        first, pid, "电梯故障多", "更换电梯主板，加强维保", "工程部 王工", params.today() - timedelta(days=1),
        item_key=keys[8]))
    acts = reads.actions(db, params).set_index("id")
    assert acts.loc[action_id, "overdue"] and acts.loc[action_id, "rate_before"] == pytest.approx(0.5)
    assert reads.action_counts(db, params)["overdue"] == overdue_before + 1
    with pytest.raises(ValidationFailed) as exc:
        commands.update_action(db, act(db, "manager_p1"), action_id, 1, measure="更换主板", owner="王工",
                              deadline=date(2026, 12, 1), result="", status="done")
    assert exc.value.messages() == ["整改结果: 完成整改须填写整改结果。"]
    commands.update_action(db, act(db, "manager_p1"), action_id, 1, measure="更换主板", owner="王工",
                          deadline=date(2026, 12, 1), result="已更换，公示于大堂", status="done")
    second = make_wave(db)
    db.transaction(lambda tx: tx.cur.execute(  # the id inline: both engines' drivers take it so
        f"UPDATE survey_waves SET starts_on = DATE '2027-04-01' WHERE id = {int(second)}"))
    commands.enter_forms(db, act(db, "clerk1"), second, [surveys.FormInput(pid, {keys[8]: r}, unit_text=f"U{n}")
                                               for n, r in enumerate([1, 4, 4, 4])], confirm_incomplete=True)
    acts = reads.actions(db, params).set_index("id")
    assert not acts.loc[action_id, "overdue"]
    assert acts.loc[action_id, "rate_after"] == pytest.approx(0.75)
    with pytest.raises(ValidationFailed):
        commands.create_action(db, act(db, "manager_p1"), surveys.ActionInput(first, pid, "", "", "", None))


# ---- pages (AppTest) -------------------------------------------------------------------------------
def test_entry_page_two_forms_change_return_and_satisfaction_rate(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    at = open_page("clerk1", "survey_entry")
    assert not at.exception
    shown = texts(at)
    assert "问卷录入" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["已回收 / 发放"] == "0 / 20"
    assert metrics["满意率"] == "—"
    keys = item_keys(db)
    assert at.data_editor[0].editing_mode == "dynamic"
    # AppTest seeds a keyed editor's edit state before run(): two forms typed on the grid
    at.session_state["survey_entry.grid.0"] = {
        "edited_rows": {0: {"unit": "1-0101", **{k: "4" for k in keys}},
                        1: {"unit": "1-0102", **{k: "3" for k in keys}, keys[0]: "不满意"}},
        "added_rows": [], "deleted_rows": []}
    at.button(key="FormSubmitter:survey_entry.form.0-保存问卷").click().run()
    assert not at.exception
    assert "已保存 2 份问卷，生成回访任务 1 个。" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["已回收 / 发放"] == "2 / 20"
    assert metrics["回收率"] == "10.0%"
    assert metrics["满意率"] == "98.3%"  # 59 qualified of 60 rated
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 2
    # a bad cell: nothing saved, the row and item named, the typing kept
    at.session_state["survey_entry.grid.1"] = {
        "edited_rows": {0: {"unit": "1-0103", keys[0]: "好"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="FormSubmitter:survey_entry.form.1-保存问卷").click().run()
    assert "第 1 行 01「客服人员服务态度」：“好”不是有效评价" in texts(at)
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 2
    assert wave_id


def test_pages_render_for_their_roles_with_data(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    keys = item_keys(db)
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: r for k in keys}, unit_text=f"U{r}")
                                                for r in (1, 2, 3, 4)], confirm_incomplete=True)
    for username, page, expect in [("manager_p1", "survey_analysis", "满意率"),
                                   ("hq", "survey_analysis", "各项目回收率"),
                                   ("supervisor1", "survey_waves", "调查活动"),
                                   ("manager_p1", "survey_actions", "新增整改措施"),
                                   ("clerk1", "survey_entry", "录入问卷")]:
        at = open_page(username, page)
        assert not at.exception, (username, page, at.exception)
        assert expect in texts(at), (username, page)
    # every view of the analysis page, the highlighted project carried over to each
    for view, expect in [("overview", "各项目回收率"), ("pareto", "不满意项排列图"),
                         ("trend", "历次调查满意率趋势"), ("forms", "图表背后的问卷")]:
        at = open_page("hq", "survey_analysis")
        at.session_state["survey_analysis.highlight_project"] = "P001"
        at.session_state["survey_analysis.view"] = view
        at.run()
        assert not at.exception, (view, at.exception)
        assert expect in texts(at), view
        assert db.one("org/project_by_code", {"code": "P001"})["name"] in texts(at)  # the highlight banner
    at = open_page("manager_p1", "survey_analysis")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["满意率"] == "75.0%"  # 3 qualified of 4 rated in every item
    assert metrics["回收率"] == "20.0%"


# ---- demo data -------------------------------------------------------------------------------------
def test_demo_surveys_four_waves_for_every_project(db):
    # the tiny demo (tests/conftest.py) already holds the surveys of tools.demo.surveys
    counts = db.one("surveys/demo_counts")
    assert counts["survey_answers"] == counts["survey_responses"] * 30 > 0
    waves = db.df("surveys/waves", GROUP.params())
    group = waves[waves["level"] == "group"].sort_values("starts_on")
    assert group["code"].tolist() == ["DC-2025-01", "DC-2025-02", "DC-2026-01", "DC-2026-02"]
    assert group["status"].tolist() == ["closed", "closed", "closed", "approved"]
    projects = set(db.df("org/projects_in_scope", GROUP.params())["id"])
    below = 0
    for wave_id in group["id"]:
        rates = reads.wave_projects(db, act(db, "hq"), int(wave_id))
        assert set(rates["project_id"]) == projects
        below += int(rates["below_target"].sum())
        assert 0 < below
    branches = reads.satisfaction(db, act(db, "hq"), int(group["id"].iloc[-1]), "branch")
    assert branches["satisfaction_rate"].nunique() == len(branches) > 1  # branches differ
    assert db.one("surveys/demo_counts")["survey_revisits"] > 0
    assert not reads.actions(db, act(db, "hq")).empty
    # the demo draft waits for P001's manager
    draft = waves[waves["status"] == "draft"].iloc[0]
    assert rules.may_approve(act(db, "manager_p1"), draft.to_dict())
    assert reads.wave_rights(db, act(db, "manager_p1"), int(draft["id"]))["approve"]


@pytest.mark.duckdb_only("the demo generator (tools/demo) writes the DuckDB file only (its SQL uses hash())")
@pytest.mark.parametrize("username", ["clerk1", "supervisor1", "manager_p1", "manager_b1", "hq", "clerk2"])
def test_survey_pages_with_demo_data_for_every_role(db_path, db, username):
    from csm.navigation import BY_ID
    from csm.navigation import allowed as page_allowed
    from tools.demo import surveys as demo_surveys

    demo_surveys.generate_surveys(db, "tiny", 7)
    role = users.get(db, username)["role"]
    for page in ("survey_entry", "survey_waves", "survey_analysis", "survey_actions"):
        at = open_page(username, page)
        assert not at.exception, (username, page, at.exception)
        shown = texts(at)
        assert ("您的角色无权访问此页面。" in shown) != page_allowed(role, page), (username, page)
        assert BY_ID[page].title_key


def test_self_service_page_answers_once_then_refuses(db_path, db):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    token = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})["token"].iloc[0]

    def resident():
        at = AppTest.from_file(str(ROOT / "pages" / "survey_self.py"), default_timeout=60)
        at.query_params["survey_token"] = token
        at.run()
        return at

    at = resident()
    assert not at.exception
    assert "业主满意度调查" in texts(at) and len(at.radio) == 30
    at.radio(key="survey_self.eng_elevator").set_value(1)
    at.radio(key="survey_self.cs_attitude").set_value(4)
    at.text_area(key="survey_self.comments").input("电梯经常停运")
    at.button[0].click().run()
    assert "提交成功，感谢您的参与！" in texts(at)
    summary = reads.summary(db, act(db, "hq"), wave_id)
    assert (summary["returned"], summary["n_qualified"], summary["n_unsatisfied"]) == (1, 1, 1)
    again = resident()
    assert "此链接已填写过问卷，每户只能提交一次。" in texts(again)
    assert not again.radio
    nobody = AppTest.from_file(str(ROOT / "pages" / "survey_self.py"), default_timeout=60)
    nobody.run()
    assert "链接无效" in texts(nobody)


def test_chart_specs_are_valid_vega_lite(db):
    """The analysis page renders specs without re-validating them; they are validated here."""
    from csm.surveys import charts as survey_charts

    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    commands.enter_forms(db, act(db, "clerk1"), wave_id, seed_forms(db, pid), confirm_incomplete=True)
    p = GROUP.params()
    rates = reads.wave_projects(db, act(db, "hq"), wave_id)
    pareto = db.df("surveys/pareto", {**p, "wave_id": wave_id, "project_id": None})
    matrix = db.df("surveys/item_project_matrix", {**p, "wave_id": wave_id, "branch_id": None, "max_projects": 40})
    trend = db.df("surveys/trend", {**p, "group_by": "project", "project_ids": [pid], "item_key": None,
                                   "dimension": None})
    charts = [survey_charts.return_rate_chart(rates, 0.8, "回收率", "项目", "P001"),
              survey_charts.pareto_chart(pareto, "不满意", "累计", pareto["item_key"].iloc[0]),
              survey_charts.heatmap_chart(matrix, "满意率", "P001", None),
              survey_charts.trend_chart(trend, "满意率", "调查", None)]
    for chart in charts:
        chart.to_dict(validate=True)  # raises on a spec Vega-Lite would refuse


def test_qr_sheet_has_one_code_per_household_link(db):
    from csm.surveys import qr as qr_sheet

    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    sup = user(db, "supervisor1")
    n = commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    tokens = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **Scope.of(sup).params()})
    rows = [(u, f"http://cs.example/?survey_token={tok}") for u, tok in zip(tokens["unit_text"], tokens["token"],
                                                                            strict=True)]
    page = qr_sheet.qr_sheet_html("第二次满意度调查 · 上海锦绣花园", "每个二维码只能提交一次。", rows).decode("utf-8")
    assert page.count('class="segno"') == n == len(rows) > 0
    unit, link = rows[0]
    assert qr_sheet.qr_svg(link) in page and f'<div class="unit">{unit}</div>' in page


def test_new_questionnaire_version_keeps_keys_and_refuses_bad_rows(db):
    base = db.df("surveys/questionnaires").iloc[0]
    items = [dict(r) for r in rules.items_of(db, int(base["id"]))]
    rows = [{k: r[k] for k in ("item_key", "dimension", "text_zh", "text_en")} for r in items]
    bad = [*rows, {"item_key": rows[0]["item_key"], "dimension": "XX", "text_zh": "", "text_en": "x"}]
    with pytest.raises(ValidationFailed) as err:
        commands.new_questionnaire_version(db, act(db, "hq"), int(base["id"]), "", "", bad)
    n = len(bad)
    assert err.value.messages() == [
        "问卷名称: 必填", f"第 {n} 行：项目代码“{rows[0]['item_key']}”与第 1 行重复",
        f"第 {n} 行：请选择服务维度", f"第 {n} 行：中英文题目都必填"]
    rows[0]["text_zh"] = "客服人员的服务态度与礼仪"
    qid = commands.new_questionnaire_version(db, act(db, "hq"), int(base["id"]), "物业服务满意度调查表（2027版）", "", rows[:-1])
    new = rules.items_of(db, qid)
    assert [i["item_key"] for i in new] == [r["item_key"] for r in rows[:-1]]  # stable keys, one item dropped
    assert new[0]["text_zh"] == "客服人员的服务态度与礼仪"
    assert db.one("surveys/questionnaire", {"id": qid})["version"] == int(base["version"]) + 1


def test_weights_are_validated_and_change_new_scores(db):
    with pytest.raises(ValidationFailed) as err:
        commands.set_weights(db, act(db, "hq"), {4: 100, 3: 80, 2: 90, 1: 0})
    assert err.value.messages() == ["评价越好权重不能越低（很满意 ≥ 满意 ≥ 较满意 ≥ 不满意）"]
    with pytest.raises(ValidationFailed):
        commands.set_weights(db, act(db, "hq"), {4: 120, 3: 80, 2: 60, 1: 0})
    commands.set_weights(db, act(db, "hq"), {4: 100, 3: 90, 2: 70, 1: 0})
    wave_id = make_wave(db)
    pid = project_id(db, "P001")
    keys = item_keys(db)
    saved = commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {keys[0]: 3, keys[1]: 2},
                                                                           unit_text="W1")], confirm_incomplete=True)
    assert saved[0]["score"] == pytest.approx(80.0)  # (90 + 70) / 2


def test_questionnaire_page_saves_a_version_and_refuses_bad_weights(db_path, db):
    at = open_page("hq", "survey_questionnaires")
    assert not at.exception
    for b in at.button:
        if b.key and b.key.startswith("FormSubmitter:survey_questionnaires.form."):
            b.click().run()
            break
    assert "已保存为第 2 版（30 个项目）" in texts(at)
    at.number_input(key="survey_questionnaires.w2").set_value(95.0)
    at.button(key="FormSubmitter:survey_questionnaires.weights-保存权重").click().run()
    assert "评价越好权重不能越低" in texts(at)
    assert [r["weight"] for r in db.rows("surveys/weights")] == [100, 80, 60, 0]


# ---- the close-wave button asks the rule close_wave applies ---------------------------------------
def _wave_of_kind(db, kind: str) -> int:
    """A fresh wave: a project wave of P001 by supervisor1, a branch wave of B01 by manager_b1, a
    group wave by hq (approved by somebody else), or a project draft."""
    from csm.surveys import waves

    author = {"project": "supervisor1", "draft": "supervisor1", "branch": "manager_b1", "group": "hq"}[kind]
    issued = {project_id(db, "P001"): 20} if kind != "group" else {project_id(db, "P001"): 20,
                                                                    project_id(db, "P003"): 20}

    def work(tx):
        wave_id = waves.insert_wave(tx, act(db, author), waves.WavePlan(
            "关闭规则", "检查关闭按钮", 1, date(2026, 11, 1), date(2026, 11, 30), issued))
        if kind != "draft":
            waves.set_status(tx, act(db, "admin"), wave_id, 1, "approved", "approve", "draft")
        return wave_id

    return db.transaction(work)


def test_close_button_shows_exactly_when_close_wave_would_succeed(db):
    seen = set()
    for kind in ("project", "branch", "group", "draft"):
        for who in ("clerk1", "supervisor1", "manager_p1", "manager_b1", "hq", "admin"):
            wave_id = _wave_of_kind(db, kind)
            a = act(db, who)
            try:
                shown = reads.wave_rights(db, a, wave_id)["close"]
            except PermissionDenied:  # the waves page is not theirs
                shown = False
            try:
                commands.close_wave(db, a, wave_id, 2 if kind != "draft" else 1)
                closed = True
            except UserError:
                closed = False
            assert shown == closed, (kind, who, shown, closed)
            seen.add(shown)
    assert seen == {True, False}
    # the old page rule ("any manager or head office") offered manager_b1 a group wave it cannot close
    group = _wave_of_kind(db, "group")
    assert not reads.wave_rights(db, act(db, "manager_b1"), group)["close"]


def test_waves_page_offers_close_only_to_who_may_close(db_path, db):
    group = _wave_of_kind(db, "group")
    for username, offered in (("manager_b1", False), ("hq", True)):
        at = open_page(username, "survey_waves")
        at.selectbox(key="survey_waves.pick").select(group)
        at.run()
        assert not at.exception
        assert any(b.key == "survey_waves.close" for b in at.button) == offered, username
