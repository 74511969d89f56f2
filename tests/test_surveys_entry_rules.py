"""Issue 8, surveys: one rating rule for the grid, the import and the resident's link; forms with
few ratings confirmed before saving; returned never above issued; only open household links; item
names per language; the charts' axes and the forms behind a bar."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csm import admin, surveys
from csm.errors import UserError, ValidationFailed
from csm.i18n import set_lang
from csm.org import users
from csm.org.scope import GROUP
from csm.surveys import charts as survey_charts
from csm.surveys import commands, reads, rules, self_service
from csm.surveys import qr as qr_sheet
from tests.apptest_helpers import open_page, submit_form, texts
from tests.conftest import ROOT, project_id
from tests.test_surveys import act, filled_template, form_row, item_keys, make_wave, user

# what a clerk may type in a rating cell, and what the domain makes of it (None = unrated;
# "refused" = the save is refused naming the cell)
RATING_TABLE = [("1", 1), ("2", 2), ("3", 3), ("4", 4), ("很满意", 4), ("satisfied", 3), ("-", None),
                ("4.0", 4), ("5", "refused"), ("abc", "refused"), ("", None)]


def tables_with(at, column: str) -> list:
    """The tables shown whose columns include this header (AppTest does not find a table by key)."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def full_record(keys, unit, first):
    return {"unit": unit, "form_no": "", **{k: "3" for k in keys}, keys[0]: first, "comments": ""}


@pytest.mark.parametrize("typed, expected", RATING_TABLE)
def test_rating_table_domain_and_grid_path_agree(db, typed, expected):
    if expected == "refused":
        with pytest.raises(ValueError):
            surveys.parse_rating(typed)
    else:
        assert surveys.parse_rating(typed) == expected
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    items = rules.items_of(db, 1)
    keys = [i["item_key"] for i in items]
    forms = surveys.grid_forms([full_record(keys, "1-0101", typed)], items, pid)
    if expected == "refused":
        with pytest.raises(ValidationFailed) as exc:
            commands.enter_forms(db, act(db, "clerk1"), wave_id, forms)
        assert exc.value.messages() == [
            f"第 1 行 01「客服人员服务态度」：“{typed}”不是有效评价（请填 4/3/2/1 或 很满意/满意/较满意/不满意，空白为未表态）"]
        assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    else:
        saved = commands.enter_forms(db, act(db, "clerk1"), wave_id, forms)
        answers = db.df("surveys/response_answers", {"id": saved[0]["id"], **GROUP.params()})
        stored = answers.set_index("item_key").loc[keys[0], "rating"]
        assert (None if pd.isna(stored) else int(stored)) == expected


def test_grid_page_has_no_rating_pattern_of_its_own(db_path, db):
    """The grid column has no validate pattern: the browser would drop what it refuses (5, abc) and
    refuse what the domain accepts (satisfied, -, 4.0)."""
    make_wave(db, {"P001": 20})
    at = open_page("clerk1", "survey_entry")
    assert not at.exception
    spec = at.data_editor[0].proto.columns
    assert "validate" not in spec
    # the empty grid is empty text, not None
    assert (at.data_editor[0].value.fillna("").astype(str) == "").all().all()
    assert "None" not in at.data_editor[0].value.astype(str).to_numpy().tolist()[0]


def test_grid_with_a_5_is_refused_naming_row_and_item_and_keeps_the_typing(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    keys = item_keys(db)
    at = open_page("clerk1", "survey_entry")
    at.session_state["survey_entry.grid.0"] = {
        "edited_rows": {0: {"unit": "1-0101", **{k: "4" for k in keys}},
                        1: {"unit": "1-0102", **{k: "3" for k in keys}, keys[2]: "5"}},
        "added_rows": [], "deleted_rows": []}
    submit_form(at, "survey_entry.form.0")
    assert not at.exception
    shown = texts(at)
    assert "第 2 行 03「" in shown and "：“5”不是有效评价" in shown
    assert "未保存；表格中保留了您录入的内容。" in shown
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    # the same grid (same key, so the browser keeps every typed cell) is shown again, not a fresh one
    assert at.session_state["survey_entry.generation"] == 0
    assert at.data_editor[0].proto.form_id == "survey_entry.form.0"


def test_two_of_thirty_asks_for_confirmation_then_saves(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    keys = item_keys(db)
    at = open_page("clerk1", "survey_entry")
    at.session_state["survey_entry.grid.0"] = {
        "edited_rows": {0: {"unit": "1-0101", **{k: "4" for k in keys}},
                        1: {"unit": "1-0102", keys[0]: "3", keys[1]: "1"}},
        "added_rows": [], "deleted_rows": []}
    submit_form(at, "survey_entry.form.0")
    assert not at.exception
    shown = texts(at)
    assert "1 份问卷评价少于 15 项，可能没有录完" in shown
    assert "第 2 行 评价：只评价了 2 / 30 项（少于 15 项）" in shown
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    box = at.checkbox(key="survey_entry.confirm.0")
    assert box.label == "仍然保存评价不全的问卷" and not box.value
    submit_form(at, "survey_entry.form.0")  # saving again without ticking: still asked
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0
    at.checkbox(key="survey_entry.confirm.0").check()
    submit_form(at, "survey_entry.form.0")
    assert not at.exception
    assert "已保存 2 份问卷，生成回访任务 1 个。" in texts(at)
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 2


def test_few_answers_threshold_is_a_setting_edited_with_the_others(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    keys = item_keys(db)
    two = [surveys.FormInput(pid, {keys[0]: 4, keys[1]: 3}, unit_text="1-0101", row=1)]
    with pytest.raises(surveys.IncompleteForms):
        commands.enter_forms(db, act(db, "clerk1"), wave_id, two)
    values = {**admin.settings(db), "survey.min_answered_items": 2}
    assert admin.save_settings(db, "admin", values) == 1
    assert commands.enter_forms(db, act(db, "clerk1"), wave_id, two)[0]["n_rated"] == 2
    bad = {**values, "survey.min_answered_items": 0, "public_base_url": "kf.example.com"}
    with pytest.raises(ValidationFailed) as exc:
        admin.save_settings(db, "admin", bad)
    assert exc.value.messages() == ["问卷最少评价项数（少于此数保存前需确认）：须为 1–100 之间的整数",
                                    "对外访问地址（住户链接和二维码使用）：须以 http:// 或 https:// 开头，如 https://kf.example.com"]
    # the settings tab shows both
    at = open_page("admin", "admin_reference", tab="公司设置")
    assert not at.exception
    assert at.number_input(key="admin_reference.min_answered_items").value == 2
    at.text_input(key="admin_reference.public_base_url").input("https://kf.example.com/")
    submit_form(at, "admin_reference.settings_form")
    assert not at.exception
    assert rules.public_base_url(db) == "https://kf.example.com"


def test_import_uses_the_same_rule_and_confirmation(db):
    wave_id = make_wave(db, {"P001": 20})
    keys = item_keys(db)
    data = filled_template(db, wave_id, [form_row("1-0101", ["satisfied", "-", "4.0"] + ["3"] * 27),
                                         form_row("1-0102", ["5"] + ["3"] * 29)])
    with pytest.raises(ValidationFailed) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert len(exc.value.messages()) == 1 and "第 3 行" in exc.value.messages()[0]
    assert "“5”不是有效评价" in exc.value.messages()[0]
    few = filled_template(db, wave_id, [form_row("1-0103", ["4", "3"])])
    with pytest.raises(surveys.IncompleteForms):
        commands.import_forms(db, act(db, "clerk1"), wave_id, few, "few.xlsx")
    out = commands.import_forms(db, act(db, "clerk1"), wave_id, few, "few.xlsx",
                                    confirm_incomplete=True)
    assert [o["n_rated"] for o in out] == [2] and keys


# ---- returned never above issued ---------------------------------------------------------------
def test_returned_beyond_issued_is_refused_everywhere(db):
    wave_id = make_wave(db, {"P001": 3})
    pid = project_id(db, "P001")
    keys = item_keys(db)
    full = {k: 3 for k in keys}
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, full, unit_text=f"U{n}") for n in range(2)])
    name = db.one("org/project_by_code", {"code": "P001"})["name"]
    with pytest.raises(ValidationFailed) as exc:
        commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, full, unit_text=f"V{n}")
                                                    for n in range(2)])
    assert exc.value.messages() == [
        f"{name}：发放 3 份，已回收 2 份，本次再录入 2 份将超过发放数量。如确实多收回了问卷，"
        "请先在“调查活动”页把发放数量提高到至少 4 份。"]
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 2
    # the import is refused the same way
    data = filled_template(db, wave_id, [form_row(f"W{n}", ["3"] * 30) for n in range(2)])
    with pytest.raises(ValidationFailed) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert "发放 3 份，已回收 2 份" in exc.value.messages()[0]
    # the issued count cannot be lowered under the returned one
    sup = user(db, "supervisor1")
    with pytest.raises(UserError) as err:
        commands.set_forms_issued(db, act(db, sup), wave_id, pid, 1)
    assert err.value.message() == f"发放数量: {name} 已回收 2 份，发放数量不能少于已回收数量。"
    # the third form fits; then a resident's link is told before the questions and refused
    commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    token = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})
    token = token[~token["answered"]]["token"].iloc[0]
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, full, unit_text="U9")])
    with pytest.raises(UserError) as err:
        self_service.token_info(db, token)
    assert err.value.key == "survey.self.full"
    with pytest.raises(UserError):
        self_service.answer_by_token(db, token, full)
    rates = reads.wave_projects(db, act(db, "hq"), wave_id)
    assert rates["return_rate"].max() == 1.0


# ---- household links ----------------------------------------------------------------------------
def test_paper_form_spends_the_households_link_and_the_qr_sheet_prints_open_links(db):
    wave_id = make_wave(db, {"P001": 200})
    pid = project_id(db, "P001")
    n = commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    links = reads.household_links(db, act(db, "hq"), wave_id, pid, "https://kf.example.com")
    assert len(links) == n > 3 and not links["answered"].any()
    assert links["link"].iloc[0].startswith("https://kf.example.com/?survey_token=")
    units = links["unit_text"].tolist()
    keys = item_keys(db)
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: 4 for k in keys}, unit_text=u)
                                                for u in units[:2]])
    links = reads.household_links(db, act(db, "hq"), wave_id, pid, "https://kf.example.com")
    assert links.set_index("unit_text").loc[units[:2], "answered"].all()
    rows = surveys.open_links(links)
    assert [u for u, _ in rows] == units[2:]
    page = qr_sheet.qr_sheet_html("t", "n", rows).decode("utf-8")
    assert page.count('class="segno"') == n - 2 and f'<div class="unit">{units[0]}</div>' not in page
    spent = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})
    with pytest.raises(UserError) as err:
        self_service.token_info(db, spent.set_index("unit_text").loc[units[0], "token"])
    assert err.value.key == "survey.self.household_answered"  # answered on paper, not by this link


def test_no_link_for_a_household_that_answered_and_told_before_the_questions(db_path, db):
    from streamlit.testing.v1 import AppTest

    wave_id = make_wave(db, {"P001": 200})
    pid = project_id(db, "P001")
    code = db.df("complaints/units_of_project", {"project_id": pid, **GROUP.params()})["code"].iloc[0]
    keys = item_keys(db)
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: 4 for k in keys}, unit_text=code)])
    commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    tokens = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})
    assert code not in set(tokens["unit_text"])  # no link made for a household that answered
    # a link made before the paper form came back: the resident is told before any question
    other = tokens.iloc[0]
    db.execute("surveys/response_insert", {
        "wave_id": wave_id, "project_id": pid, "branch_id": db.one("org/project_by_code", {"code": "P001"})["branch_id"],
        "form_no": None, "unit_id": None, "unit_text": other["unit_text"], "respondent_name": None,
        "respondent_phone": None, "source": "paper", "token": None, "import_batch": None,
        "returned_on": date(2026, 10, 20), "comments": None, "entered_by": "clerk1"})
    at = AppTest.from_file(str(ROOT / "pages" / "survey_self.py"), default_timeout=60)
    at.query_params["survey_token"] = other["token"]
    at.run()
    assert not at.exception
    assert "您家本次调查已交回问卷，每户只能提交一次，感谢您的参与！" in texts(at)
    assert not at.radio and not at.button


# ---- item names per language --------------------------------------------------------------------
def test_item_names_in_english_on_the_survey_pages(db_path, db):
    from streamlit.testing.v1 import AppTest

    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    items = rules.items_of(db, 1)
    keys = [i["item_key"] for i in items]
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: r for k in keys}, unit_text=f"U{r}")
                                                for r in (1, 2, 3, 4)])
    first_en, first_zh = items[0]["text_en"], items[0]["text_zh"]
    assert first_en and first_en != first_zh
    for name in ("clerk1", "hq"):
        users.set_lang(db, name, "en")  # the user's language is kept with the user
    set_lang("en")  # AppTest formats widget values in the test's thread too
    at = open_page("clerk1", "survey_entry", lang="en")
    assert not at.exception
    legend = tables_with(at, "Item")[0]
    assert legend["Item"].iloc[0] == first_en
    at.session_state["survey_entry.grid.0"] = {"edited_rows": {0: {"unit": "E1", **{k: "4" for k in keys},
                                                                  keys[0]: "abc"}},
                                               "added_rows": [], "deleted_rows": []}
    submit_form(at, "survey_entry.form.0")
    assert f"Row 1, 01 “{first_en}”: “abc” is not a rating" in texts(at)
    at = open_page("hq", "survey_analysis", lang="en")
    at.session_state["survey_analysis.view"] = "pareto"
    at.session_state["survey_analysis.highlight_item"] = keys[0]
    at.run()
    assert not at.exception
    shown = texts(at)
    assert f"01 {first_en}" in shown and first_zh not in shown
    at = open_page("hq", "survey_analysis", lang="en")
    table = tables_with(at, "Satisfaction rate")[0]
    assert first_en in table.iloc[:, 1].tolist()
    commands.create_tokens(db, act(db, "supervisor1"), wave_id, pid)
    token = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": pid, **GROUP.params()})
    token = token[~token["answered"]]["token"].iloc[0]
    resident = AppTest.from_file(str(ROOT / "pages" / "survey_self.py"), default_timeout=60)
    resident.session_state["csm.lang"] = "en"
    resident.query_params["survey_token"] = token
    resident.run()
    assert resident.radio[0].label == f"1. {first_en}"
    assert resident.radio[0].options == ["Very satisfied", "Satisfied", "Fairly satisfied", "Unsatisfied"]


# ---- charts and the forms behind a bar ----------------------------------------------------------
def test_pareto_integer_ticks_right_axis_and_heatmap_labels(db):
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    keys = item_keys(db)
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [surveys.FormInput(pid, {k: (1 if n < 3 else 4) for k in keys},
                                                                  unit_text=f"U{n}") for n in range(5)])
    pareto = db.df("surveys/pareto", {**GROUP.params(), "wave_id": wave_id, "project_id": None})
    spec = survey_charts.pareto_chart(pareto, "不满意", "累计", None).to_dict(validate=True)
    bars, right = spec["layer"][0], spec["layer"][1]["layer"][0]
    assert bars["encoding"]["y"]["axis"]["tickMinStep"] == 1 and bars["encoding"]["y"]["axis"]["format"] == "d"
    assert right["encoding"]["y"]["axis"]["orient"] == "right" and right["encoding"]["y"]["axis"]["format"] == "%"
    assert spec["resolve"]["scale"]["y"] == "independent"
    en = survey_charts.pareto_chart(pareto, "n", "cum", None, "en").to_dict(validate=True)
    assert {r["label"] for r in en["datasets"][next(iter(en["datasets"]))]} == set(pareto["text_en"])
    matrix = db.df("surveys/item_project_matrix", {**GROUP.params(), "wave_id": wave_id, "branch_id": None,
                                                   "max_projects": 40})
    heat = survey_charts.heatmap_chart(matrix, "满意率").to_dict(validate=True)
    assert heat["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert heat["encoding"]["x"]["axis"]["labelOverlap"] is False
    assert heat["height"] >= 20 * 30  # a row per item tall enough for its label


def test_a_clicked_bar_lists_the_forms_behind_it(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    keys = item_keys(db)
    commands.enter_forms(db, act(db, "clerk1"), wave_id, [
        surveys.FormInput(pid, {**{k: 4 for k in keys}, keys[1]: (1 if n < 2 else 4)}, unit_text=f"U{n}")
        for n in range(4)])
    behind = reads.forms_behind(db, act(db, "hq"), wave_id, None, keys[1])
    assert sorted(behind["unit_text"]) == ["U0", "U1"]
    assert len(reads.forms_behind(db, act(db, "hq"), wave_id, pid)) == 4
    # the chart's selection sets the highlighted item (survey_charts.picked); the rows follow it
    at = open_page("hq", "survey_analysis")
    at.session_state["survey_analysis.view"] = "pareto"
    at.session_state["survey_analysis.highlight_item"] = keys[1]
    at.run()
    assert not at.exception
    assert "图表背后的问卷：02 " in texts(at)
    rows = tables_with(at, "房号")[0]
    assert sorted(rows["房号"]) == ["U0", "U1"]
    assert "None" not in rows.astype(str).to_numpy().ravel().tolist()
    at = open_page("hq", "survey_analysis")
    at.session_state["survey_analysis.highlight_project"] = "P001"
    at.run()
    assert len(tables_with(at, "房号")[0]) == 4
    assert survey_charts.picked(type("E", (), {"selection": {survey_charts.SELECT_ITEM: [{"item_key": keys[1]}]}})(),
                                survey_charts.SELECT_ITEM, "item_key") == keys[1]


# ---- no Streamlit English inside the Chinese UI, no None -----------------------------------------
def test_survey_pages_use_chinese_placeholders(db_path, db):
    from csm.i18n import t

    make_wave(db, {"P001": 20})
    pages = [("clerk1", "survey_entry", None), ("hq", "survey_questionnaires", None)]
    pages += [("hq", "survey_analysis", view) for view in ("overview", "pareto", "trend", "forms")]
    seen = 0
    for username, page, view in pages:
        at = open_page(username, page)
        if view:
            at.session_state["survey_analysis.view"] = view
            at.run()
        assert not at.exception, (page, view)
        for box in [*at.selectbox, *at.multiselect]:
            assert box.proto.placeholder == t("common.choose"), (page, view, box.label)
            seen += 1
    assert seen >= 6


def test_the_grid_has_no_rating_pattern_of_its_own(db_path, db):
    """The entry grid's rating columns carry no validation pattern: every cell reaches
    rules.parse_rating (what the grid accepts is the RATING_TABLE above, by the same rule)."""
    import json

    make_wave(db, {"P001": 20})
    at = open_page("clerk1", "survey_entry")
    assert not at.exception
    columns = json.loads(at.data_editor[0].proto.columns)
    ratings = {k: v for k, v in columns.items() if k in set(item_keys(db))}
    assert len(ratings) == 30
    assert not any("validate" in json.dumps(v) for v in ratings.values())
