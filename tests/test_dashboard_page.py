"""The manager dashboard as each role sees it (AppTest on the tiny demo)."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page, texts


def metric_labels(at):
    return [m.label for m in at.metric]


@pytest.mark.parametrize("username", ["hq", "manager_b1", "manager_p1", "supervisor1"])
def test_dashboard_shows_every_indicator_with_its_definition(db_path, username):
    at = open_page(username, "dashboard")
    assert not at.exception
    labels = metric_labels(at)
    for name in ("受理投诉数", "及时处理率", "超时未结投诉", "回访率", "满意率", "逾期整改"):
        assert name in labels
    on_time = next(m for m in at.metric if m.label == "及时处理率")
    assert "处理时限落在统计期内" in on_time.help
    shown = texts(at)
    assert "nan" not in shown and "None" not in shown


def test_period_change_recomputes(db_path):
    at = open_page("hq", "dashboard")
    this_month = next(m.value for m in at.metric if m.label == "受理投诉数")
    at.segmented_control(key="dashboard.period").set_value("year").run()
    assert not at.exception
    year = next(m.value for m in at.metric if m.label == "受理投诉数")
    assert int(year.replace(",", "")) >= int(this_month.replace(",", ""))


def test_project_picker_lists_only_the_scope(db_path, db):
    at = open_page("manager_b1", "dashboard")
    options = at.selectbox(key="dashboard.project").options
    rows = db.rows("org/projects_in_scope", {"scope_kind": "group", "scope_id": -1})
    b1 = {f"{r['name']}（{r['branch']}）" for r in rows if r["branch_id"] == rows[0]["branch_id"]}
    assert set(options[1:]) == b1


def test_clerk_is_refused(db_path):
    at = open_page("clerk1", "dashboard")
    assert "您的角色无权访问此页面" in texts(at)
    assert not at.metric


def _table(at):
    return at.dataframe[0].value


def test_head_office_compares_branches_and_drills_in(db_path):
    at = open_page("hq", "comparison")
    assert not at.exception
    table = _table(at)
    assert list(table.columns[:3]) == ["编码", "名称", "户数"]
    assert "95%置信区间 (%)" in table.columns and "与中位数比较" in table.columns
    assert len(table) >= 2  # every branch of the demo
    picker = at.selectbox(key="comparison.branch")
    picker.select_index(1).run()
    assert not at.exception
    assert "分公司" in _table(at).columns  # projects of that branch
    assert at.query_params.get("branch")


def test_branch_manager_cannot_reach_another_branch_by_url(db_path, db):
    from tests.conftest import branch_id

    other = branch_id(db, "B02")
    at = app_as_with_query("manager_b1", {"branch": str(other)})
    assert "您的角色无权访问此页面" in texts(at) or "权限" in texts(at)
    assert not at.dataframe


def app_as_with_query(username, query):
    from tests.apptest_helpers import app_as

    at = app_as(username)
    at.run()
    at.switch_page("pages/comparison.py")
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at


def test_comparison_has_no_resident_data(db_path):
    at = open_page("hq", "comparison")
    frame = _table(at)
    for col in frame.columns:
        assert "电话" not in col and "姓名" not in col


def test_reports_page_makes_the_monthly_summary(db_path):
    import io

    from openpyxl import load_workbook

    at = open_page("manager_b1", "reports")
    at.segmented_control(key="reports.kind").set_value("monthly").run()
    at.segmented_control(key="reports.period").set_value("year").run()
    at.button(key="reports.make").click().run()
    assert not at.exception
    made = at.session_state["reports.file"]
    ws = load_workbook(io.BytesIO(made["data"])).active
    assert ws.cell(row=1, column=4).value == "投诉编号"
    assert "电话" not in [c.value for c in ws[1]]
    # the progress box ends green with the file's name and its row count, as the file has them
    assert [s.label for s in at.status] == [f"已生成：{made['name']}（共 {ws.max_row - 1} 行）"]
    assert at.status[0].icon != ":material/error:"


def test_reports_page_shows_the_pdf_steps(db_path):
    at = open_page("hq", "reports")
    at.segmented_control(key="reports.period").set_value("year").run()
    at.button(key="reports.make").click().run()
    assert not at.exception
    name = at.session_state["reports.file"]["name"]
    assert name.endswith(".pdf") and [s.label for s in at.status] == [f"已生成：{name}"]


# ---- chart clicks and tabs -------------------------------------------------------------------------
def click_chart(at, key: str, selection: str, point: dict):
    """Rerun as after a click on a mark of the chart with this key: its named point selection holds
    `point` (AppTest has no chart widget, so the selection state is sent as the browser sends it)."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    chart = next(e for e in at.get("vega_lite_chart") if e.key == key)
    states = at._tree.get_widget_states()
    state = WidgetState(id=chart.proto.id, string_value=json.dumps({"selection": {selection: [point]}}))
    states.widgets.append(state)
    at._run(states)
    return at


def charts_shown(at) -> list[str]:
    return [e.key for e in at.get("vega_lite_chart")]


def test_a_click_on_a_category_lists_its_complaints(db_path, db):
    from csm.actor import Actor
    from csm.dashboards import kpis, periods, reads
    from csm.dashboards.charts import PICK_CATEGORY
    from csm.i18n import t

    at = open_page("manager_b1", "dashboard")
    at.segmented_control(key="dashboard.period").set_value("year").run()
    actor = Actor.of(db.one("users/by_username", {"username": "manager_b1"}), tz=db.timezone, lang="zh")
    period = periods.period_of("year", actor.today())

    by_category = kpis.breakdown(db, actor, period, "category")
    assert by_category, "the tiny demo has complaints this year"
    second = by_category[-1]  # the smallest bar: not the one the first rows happen to show
    click_chart(at, "dashboard.chart.pareto", PICK_CATEGORY, {"category": second["value"]})
    assert not at.exception
    expected = reads.complaints_behind(db, actor, period, None, second["value"])
    assert len(expected) == min(second["n"], reads.ROWS_LIMIT)
    shown = at.dataframe(key="dashboard.behind").value
    assert list(shown[t("dash.col.code")]) == [r["code"] for r in expected]
    assert t("dash.behind", what=second["name"], n=second["n"], limit=reads.ROWS_LIMIT) in texts(at)
    # the biggest bar: the text gives its count, the list stops at the limit
    first = by_category[0]
    click_chart(at, "dashboard.chart.pareto", PICK_CATEGORY, {"category": first["value"]})
    assert t("dash.behind", what=first["name"], n=first["n"], limit=reads.ROWS_LIMIT) in texts(at)
    assert len(at.dataframe(key="dashboard.behind").value) == min(first["n"], reads.ROWS_LIMIT)


def test_rows_behind_a_category_are_only_that_category(db, db_path):
    from csm.actor import Actor
    from csm.dashboards import kpis, periods, reads

    actor = Actor.of(db.one("users/by_username", {"username": "hq"}), tz=db.timezone, lang="zh")
    period = periods.period_of("year", actor.today())
    counts = {r["value"]: r["n"] for r in kpis.breakdown(db, actor, period, "category")}
    for code, n in counts.items():
        rows = reads.complaints_behind(db, actor, period, None, code, limit=10_000)
        assert len(rows) == n
        names = {r["category"] for r in rows}
        assert len(names) == 1  # one first-level category
    everything = reads.complaints_behind(db, actor, period, None, None, limit=10_000)
    assert len(everything) == sum(counts.values())


def test_only_the_open_tab_is_drawn(db_path):
    from csm.i18n import t

    def titles(at):
        return {m.value.strip("*") for m in at.markdown if m.value.startswith("**")}

    at = open_page("hq", "dashboard")
    at.segmented_control(key="dashboard.period").set_value("year").run()
    first = {t("dash.chart.per_bucket"), t("dash.chart.pareto")}
    assert titles(at) >= first and len(charts_shown(at)) == 2
    assert t("dash.chart.revisits") not in titles(at)  # not read, not drawn
    at.session_state["dashboard.tab"] = t("dash.tab.revisits")
    at.run()
    assert not at.exception
    assert titles(at) & first == set() and {t("dash.chart.revisits"), t("dash.chart.waves")} <= titles(at)
    assert len(charts_shown(at)) + texts(at).count(t("dash.chart.empty")) == 2
    at.session_state["dashboard.tab"] = t("dash.tab.trends")
    at.run()
    assert {t("dash.chart.on_time"), t("dash.chart.hours")} <= titles(at)
    assert len(charts_shown(at)) + texts(at).count(t("dash.chart.empty")) == 2


# ---- comparison: drill into the survey items ---------------------------------------------------------
def pick_row(at, key: str, row: int):
    """Rerun as after a click on row `row` of the selectable st.dataframe with this key."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    frame = at.dataframe(key=key)
    states = at._tree.get_widget_states()
    kept = [w for w in states.widgets if w.id != frame.proto.id]  # the table's own (empty) selection
    del states.widgets[:]
    states.widgets.extend(kept)
    states.widgets.append(WidgetState(id=frame.proto.id, string_value=json.dumps(
        {"selection": {"rows": [row], "columns": [], "cells": []}})))
    at._run(states)
    return at


def _items_key(at):
    return next(d.key for d in at.dataframe if d.key and d.key.startswith("comparison.items."))


def test_head_office_drills_into_a_branchs_survey_items_and_the_forms_behind(db_path, db):
    from csm.dashboards import reads
    from csm.i18n import t
    from csm.org.scope import Scope
    from tests.policy_matrix import actor_for

    at = open_page("hq", "comparison")
    at.selectbox(key="comparison.branch").select_index(1).run()
    assert not at.exception
    key = _items_key(at)
    branch = int(key.rsplit(".", 1)[1])
    assert key == f"comparison.items.branch.{branch}"
    items = at.dataframe(key=key).value
    assert list(items.columns[:2]) == [t("cmp.items.col.dimension"), t("cmp.items.col.item")]
    actor = actor_for(db, "head_office")
    drilled = reads.survey_items(db, actor, Scope("branch", branch))
    assert len(items) == len(drilled["items"])
    # the first item with an unsatisfied rating: its forms are listed, none with resident data
    row = next(n for n, i in enumerate(drilled["items"]) if i["n1"])
    item = drilled["items"][row]
    shown_rate = items.iloc[row][t("kpi.survey_satisfaction") + " (%)"]
    assert round(shown_rate, 1) == round(item["satisfaction"] * 100, 1)
    pick_row(at, key, row)
    assert not at.exception
    forms = at.dataframe[-1].value  # the forms (a table without selection has no key in AppTest)
    assert len(forms) == min(item["n1"], reads.ROWS_LIMIT)
    assert set(forms[t("cmp.items.col.rating")]) == {"不满意"}
    for col in forms.columns:
        assert "电话" not in col and "姓名" not in col and "房号" not in col
    assert t("cmp.items.forms", item=item["text_zh"], n=len(forms), limit=reads.ROWS_LIMIT) in texts(at)
    at.segmented_control(key="comparison.items.which").set_value("all").run()
    every = at.dataframe[-1].value
    assert len(every) == min(item["rated"], reads.ROWS_LIMIT) and len(every) >= len(forms)


def test_a_project_drill_shows_that_projects_items(db_path, db):
    at = open_page("manager_b1", "comparison")  # a branch manager: the projects of their branch
    at.selectbox(key="comparison.project").select_index(1).run()
    assert not at.exception
    assert _items_key(at).startswith("comparison.items.project.")


def test_a_click_on_a_months_category_lists_that_months_complaints(db_path, db):
    from datetime import date

    from csm.dashboards import kpis, periods, reads
    from csm.dashboards.charts import PICK_BAR
    from csm.i18n import t
    from tests.policy_matrix import actor_for

    at = open_page("manager_b1", "dashboard")
    at.segmented_control(key="dashboard.period").set_value("year").run()
    actor = actor_for(db, "manager")
    year = periods.period_of("year", actor.today())
    bars = reads.complaints_per_bucket(db, actor, year, None, "month")
    bar = max(bars, key=lambda r: r["n"])
    first = date.fromisoformat(str(bar["bucket"])[:10])
    month = kpis.Period(max(first, year.first), min(periods.period_of("this_month", first).last, year.last))
    click_chart(at, "dashboard.chart.bucket", PICK_BAR, {"bucket": first.isoformat(), "category": bar["category"]})
    assert not at.exception
    expected = reads.complaints_behind(db, actor, month, None, bar["category"])
    assert len(expected) == bar["n"]
    shown = at.dataframe(key="dashboard.behind").value
    assert list(shown[t("dash.col.code")]) == [r["code"] for r in expected]
    what = f"{month.first.isoformat()} – {month.last.isoformat()} · {bar['name']}"
    assert t("dash.behind", what=what, n=bar["n"], limit=reads.ROWS_LIMIT) in texts(at)
