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
    rows = db.rows("projects_in_scope", {"scope_kind": "group", "scope_id": -1})
    b1 = {f"{r['name']}（{r['branch']}）" for r in rows if r["branch_id"] == rows[0]["branch_id"]}
    assert set(options[1:]) == b1


def test_clerk_is_refused(db_path):
    at = open_page("clerk1", "dashboard")
    assert "您的角色无权访问此页面" in texts(at)
    assert not at.metric
