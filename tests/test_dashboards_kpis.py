"""Indicators (DOMAIN §5) on a hand-counted data set: every figure equals the value worked out by
hand below, at group, branch and project scope, for a period with data and an empty one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from csm.actor import Actor
from csm.dashboards import kpis, periods, stats
from csm.db import open_database
from csm.errors import PermissionDenied
from csm.org.scope import GROUP, Scope

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
NOV = kpis.Period(date(2026, 11, 1), date(2026, 11, 30))


def at(month, day, hour=10, year=2026):
    return datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    """Two branches, three projects (P2's household count unknown), eight complaints, four
    revisit tasks, one wave and four corrective actions; the expected figures are in the tests."""
    db = open_database(str(tmp_path_factory.mktemp("kpi") / "kpi.duckdb"))
    cur = db.cursor()
    q = cur.execute
    q("INSERT INTO branches (id, code, name) VALUES (1, 'B1', '一分公司'), (2, 'B2', '二分公司')")
    q("INSERT INTO projects (id, code, name, branch_id, households) VALUES "
      "(1, 'P1', '甲项目', 1, 200), (2, 'P2', '乙项目', 1, NULL), (3, 'P3', '丙项目', 2, 100)")
    channel = q("SELECT min(id) FROM channels").fetchone()[0]
    category = q("SELECT min(id) FROM categories WHERE parent_id IS NOT NULL").fetchone()[0]

    def complaint(no, project, branch, received, *, validity=None, status="closed", first=None,
                  resolved=None, closed=None, due=None, first_due=None):
        q("INSERT INTO complaints (id, code, project_id, branch_id, complainant_name, channel_id, received_at,"
          " received_by, category_id, description, status, validity, forward_due_at, first_response_due_at,"
          " resolve_due_at, first_response_at, resolved_at, closed_at)"
          " VALUES (?, ?, ?, ?, '业主', ?, ?, 'clerk', ?, '描述', ?, ?, ?, ?, ?, ?, ?, ?)",
          [no, f"TS-T-{no}", project, branch, channel, received, category, status, validity,
           received + timedelta(minutes=10), first_due or received + timedelta(hours=24),
           due or received + timedelta(days=7),
           received + timedelta(hours=first) if first is not None else None,
           received + timedelta(hours=resolved) if resolved is not None else None,
           closed])

    complaint(1, 1, 1, at(11, 2), validity="valid", first=2, resolved=20)                 # on time
    complaint(2, 1, 1, at(11, 5, 9), validity="invalid", first=4, closed=at(11, 5, 15))   # closed invalid
    complaint(3, 1, 1, at(11, 10, 8), validity="valid", first=10, resolved=240)           # late
    complaint(4, 1, 1, at(11, 28, 12), validity="valid", status="in_progress")            # overdue open
    complaint(5, 1, 1, at(10, 20), validity="valid", first=2, resolved=288)               # October, late
    complaint(6, 2, 1, at(11, 15), validity="coordination", first=1, resolved=30)         # P2: no households
    complaint(7, 3, 2, at(11, 3), validity="valid", first=6, resolved=50)
    complaint(8, 3, 2, at(9, 1), status="dispatched", first=1)                            # overdue open
    q("INSERT INTO complaint_history (complaint_id, at_time, action, field, from_value, to_value) VALUES "
      "(3, ?, 'reopen', 'status', 'resolved', 'in_progress'), (5, ?, 'reopen', 'status', 'closed', 'in_progress'),"
      "(7, ?, 'judge', 'grade', NULL, 'general')", [at(11, 21), at(10, 30), at(11, 4)])

    def task(no, project, branch, due, status="open", done=None, satisfaction=None):
        q("INSERT INTO revisit_tasks (id, kind, project_id, branch_id, event_at, due_at, status, done_at,"
          " satisfaction) VALUES (?, 'complaint', ?, ?, ?, ?, ?, ?, ?)",
          [no, project, branch, due - timedelta(days=3), due, status, done, satisfaction])

    task(1, 1, 1, at(11, 5), "done", at(11, 4), "satisfied")
    task(2, 1, 1, at(11, 10), "done", at(11, 12), "unsatisfied")
    task(3, 3, 2, at(11, 20))
    task(4, 1, 1, at(12, 10))

    qn = q("SELECT min(id) FROM survey_questionnaires").fetchone()[0]
    q("INSERT INTO survey_waves (id, code, name, purpose, questionnaire_id, level, starts_on, ends_on,"
      " status, created_by) VALUES (1, 'DC-1', '上半年', '调查', ?, 'group', DATE '2026-05-01',"
      " DATE '2026-05-31', 'closed', 'hq'), (2, 'DC-2', '草稿', '调查', ?, 'group', DATE '2026-11-01',"
      " DATE '2026-11-30', 'draft', 'hq')", [qn, qn])
    q("INSERT INTO survey_wave_projects VALUES (1, 1, 1, 10), (1, 3, 2, 20), (2, 1, 1, 50)")
    for project, branch, n in ((1, 1, 8), (3, 2, 10)):
        for _ in range(n):
            q("INSERT INTO survey_responses (wave_id, project_id, branch_id, source, returned_on)"
              " VALUES (1, ?, ?, 'paper', DATE '2026-05-20')", [project, branch])
    q("INSERT INTO survey_item_counts VALUES (1, 1, 1, 'a', 3, 2, 1, 2, 1), (1, 3, 2, 'a', 5, 5, 0, 0, 0)")

    def action(no, project, branch, deadline, status="open", done_on=None):
        q("INSERT INTO survey_actions (id, wave_id, project_id, branch_id, problem, measure, owner, deadline,"
          " status, done_on, created_by) VALUES (?, 1, ?, ?, '问题', '措施', '张三', ?, ?, ?, 'hq')",
          [no, project, branch, deadline, status, done_on])

    action(1, 1, 1, date(2026, 11, 20))
    action(2, 1, 1, date(2026, 12, 20))
    action(3, 3, 2, date(2026, 11, 30), "done", date(2026, 11, 15))
    action(4, 3, 2, date(2026, 10, 30), "done", date(2026, 10, 10))
    cur.close()
    yield db
    db.close()


def actor(role="head_office", scope=GROUP):
    return Actor(1, "u", role, scope, clock=NOW.astimezone(UTC))


def figures(db, scope=None, period=NOV, who=None):
    return kpis.measure(db, who or actor(), period, scope)


def test_group_november(hand):
    f = figures(hand)
    assert f["received"].value == 6
    assert f["valid"].value == 4
    assert round(f["received_per100"].value, 1) == 1.7          # 5 complaints in P1+P3 / 300 households
    assert (f["on_time_rate"].numerator, f["on_time_rate"].denominator) == (4, 5)
    assert round(f["on_time_rate"].value * 100, 1) == 80.0
    assert f["overdue_open"].value == 2
    assert f["first_answer_p50"].value == pytest.approx(4.0)     # 1, 2, 4, 6, 10 hours
    assert round(f["first_answer_p90"].value, 1) == 8.4
    assert f["resolve_p50"].value == pytest.approx(50.0)         # 20, 30, 50, 240, 288 hours
    assert round(f["resolve_p90"].value, 1) == 268.8
    assert f["reopened"].value == 1
    assert round(f["revisit_rate"].value * 100, 1) == 66.7       # 2 done of 3 due
    assert round(f["revisit_on_time_rate"].value * 100, 1) == 33.3
    assert round(f["revisit_satisfaction"].value * 100, 1) == 50.0
    assert round(f["survey_return_rate"].value * 100, 1) == 60.0  # 18 of 30; the draft wave is ignored
    assert round(f["survey_satisfaction"].value * 100, 1) == 88.9  # 16 / (16 + 2)
    assert (f["actions_open"].value, f["actions_overdue"].value, f["actions_done"].value) == (2, 1, 1)


def test_branch_and_project(hand):
    b = figures(hand, Scope("branch", 1))
    assert (b["received"].value, b["valid"].value) == (5, 3)
    assert round(b["received_per100"].value, 1) == 2.0           # 4 in P1 / 200; P2 unknown
    assert round(b["on_time_rate"].value * 100, 1) == 75.0
    assert b["overdue_open"].value == 1
    assert b["first_answer_p50"].value == pytest.approx(3.0)
    assert round(b["first_answer_p90"].value, 1) == 8.2
    assert b["resolve_p50"].value == pytest.approx(135.0)
    assert round(b["resolve_p90"].value, 1) == 273.6
    assert round(b["revisit_rate"].value * 100, 1) == 100.0
    assert round(b["survey_return_rate"].value * 100, 1) == 80.0
    assert round(b["survey_satisfaction"].value * 100, 1) == 75.0
    assert (b["actions_open"].value, b["actions_overdue"].value, b["actions_done"].value) == (2, 1, 0)
    p = figures(hand, Scope("project", 3))
    assert (p["received"].value, p["overdue_open"].value, p["reopened"].value) == (1, 1, 0)
    assert round(p["received_per100"].value, 1) == 1.0
    assert round(p["on_time_rate"].value * 100, 1) == 100.0
    assert p["resolve_p50"].value == pytest.approx(50.0)
    assert p["revisit_rate"].value == 0.0


def test_empty_period_is_undefined_not_zero(hand):
    f = figures(hand, period=kpis.Period(date(2026, 1, 1), date(2026, 1, 31)))
    assert f["received"].value == 0
    for key in ("on_time_rate", "revisit_rate", "first_answer_p50", "resolve_p90"):
        assert f[key].value is None and f[key].reason, key
    assert f["on_time_rate"].reason == "kpi.reason.nothing_due"
    assert f["survey_return_rate"].value is None and f["survey_return_rate"].reason == "kpi.reason.no_wave"


def test_previous_period_and_year_ago(hand):
    assert periods.previous(NOV) == kpis.Period(date(2026, 10, 1), date(2026, 10, 31))
    assert periods.year_before(NOV) == kpis.Period(date(2025, 11, 1), date(2025, 11, 30))
    prev = figures(hand, period=periods.previous(NOV))
    now = figures(hand)
    assert prev["received"].value == 1 and prev["on_time_rate"].value == 0.0  # c5 due 10-27, late
    on_time = kpis.BY_KEY["on_time_rate"]
    assert kpis.better(on_time, prev["on_time_rate"].value, now["on_time_rate"].value) == 1
    assert kpis.better(kpis.BY_KEY["overdue_open"], 1, 2) == -1
    assert figures(hand, period=periods.year_before(NOV))["on_time_rate"].value is None


def test_period_kinds():
    today = date(2026, 12, 1)
    assert periods.period_of("last_month", today) == NOV
    assert periods.period_of("quarter", today) == kpis.Period(date(2026, 10, 1), date(2026, 12, 31))
    assert periods.period_of("half_year", today) == kpis.Period(date(2026, 7, 1), date(2026, 12, 31))
    assert periods.previous(periods.period_of("half_year", today)) == kpis.Period(date(2026, 1, 1),
                                                                                  date(2026, 6, 30))
    custom = kpis.Period(date(2026, 11, 10), date(2026, 11, 19))
    assert periods.previous(custom) == kpis.Period(date(2026, 10, 31), date(2026, 11, 9))


def test_breakdown_by_validity(hand):
    rows = kpis.breakdown(hand, actor(), NOV, "validity")
    assert {r["value"]: r["n"] for r in rows} == {"valid": 4, "invalid": 1, "coordination": 1}


def test_scope_and_role_are_enforced_inside(hand):
    with pytest.raises(PermissionDenied):
        figures(hand, who=actor("clerk", Scope("project", 1)))
    with pytest.raises(PermissionDenied):  # a branch manager asking for another branch's project
        figures(hand, Scope("project", 3), who=actor("manager", Scope("branch", 1)))
    with pytest.raises(PermissionDenied):
        figures(hand, Scope("group"), who=actor("manager", Scope("project", 1)))
    mine = figures(hand, Scope("project", 2), who=actor("manager", Scope("branch", 1)))
    assert mine["received"].value == 1


def test_wilson_interval_known_case():
    low, high = stats.wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert stats.wilson(0, 0) is None
    assert stats.differs(8, 10, 0.3) == 1 and stats.differs(8, 10, 0.7) == 0


def test_every_kpi_has_name_and_formula_in_both_languages():
    from csm.i18n import has, t

    for k in kpis.KPIS:
        assert has(k.name_key) and has(k.formula_key), k.key
        assert t(k.name_key, lang="en") != k.name_key


def test_series_add_up_to_the_period_figures(hand):
    from csm.dashboards import reads

    who = actor()
    per_month = reads.complaints_per_bucket(hand, who, kpis.Period(date(2026, 9, 1), date(2026, 11, 30)))
    assert sum(r["n"] for r in per_month if r["bucket"] == date(2026, 11, 1)) == 6
    assert {r["bucket"] for r in per_month} == {date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)}
    on_time = {r["bucket"]: r for r in reads.on_time_per_month(hand, who, NOV)}
    assert (on_time[date(2026, 11, 1)]["on_time"], on_time[date(2026, 11, 1)]["due"]) == (4, 5)
    rev = reads.revisits_per_month(hand, who, NOV)
    assert [(r["due"], r["done"]) for r in rev] == [(3, 2)]
    waves = reads.survey_waves(hand, who)
    assert [(w["code"], w["issued"], w["returned"]) for w in waves] == [("DC-1", 30, 18)]
    assert round(waves[0]["satisfaction"] * 100, 1) == 88.9
    bands = {r["band"]: r["n"] for r in reads.resolve_hours(hand, who, NOV)}
    assert bands == {0: 1, 24: 1, 48: 1, 168: 2}  # 20 h; 30 h; 50 h; 240 h and 288 h


def test_rows_behind_a_bar_and_attention(hand):
    from csm.dashboards import reads

    who = actor("manager", Scope("branch", 1))
    rows = reads.complaints_behind(hand, who, NOV)
    assert [r["code"] for r in rows] == ["TS-T-4", "TS-T-6", "TS-T-3", "TS-T-2", "TS-T-1"]
    assert "complainant_name" not in rows[0] and "complainant_phone" not in rows[0]
    items = reads.attention(hand, who)
    kinds = {(i["kind"], i["code"]) for i in items}
    assert ("overdue", "TS-T-4") in kinds
    assert ("action_overdue", "DC-1") in kinds
    assert not any(i["code"] == "TS-T-8" for i in items)  # another branch's overdue complaint


def test_league_of_branches_and_of_a_branch(hand):
    from csm.dashboards import comparison

    lg = comparison.league(hand, actor(), NOV)
    assert lg.level == "branch" and [u.code for u in lg.units] == ["B1", "B2"]
    b1, b2 = lg.units
    # the same figures as the dashboard for that scope
    for key in comparison.LEAGUE_KEYS:
        assert b1.values[key].value == figures(hand, Scope("branch", 1))[key].value, key
    assert round(b1.values["on_time_rate"].value * 100, 1) == 75.0
    assert (b1.values["on_time_rate"].numerator, b1.values["on_time_rate"].denominator) == (3, 4)
    assert b2.values["on_time_rate"].value == 1.0
    assert lg.medians["on_time_rate"] == pytest.approx(0.875)
    assert b1.vs_median["on_time_rate"] == 0  # 3 of 4 against 87.5%: noise, not marked
    assert b1.status["on_time_rate"] == "red" and b2.status["on_time_rate"] == "green"  # target 95%
    assert b1.previous["received"].value == 1  # October
    projects = comparison.league(hand, actor("manager", Scope("branch", 1)), NOV)
    assert projects.level == "project" and [u.code for u in projects.units] == ["P1", "P2"]
    assert projects.units[1].values["received_per100"].value is None  # P2's households unknown
    with pytest.raises(PermissionDenied):
        comparison.league(hand, actor("manager", Scope("branch", 1)), NOV, branch_id=2)
    with pytest.raises(PermissionDenied):
        comparison.league(hand, actor("supervisor", Scope("project", 1)), NOV)


def test_significance_needs_enough_forms():
    from csm.dashboards import comparison

    kpi = kpis.BY_KEY["survey_satisfaction"]
    assert comparison.target_status(kpi, 0.86, 0.85) == "green"
    assert comparison.target_status(kpi, 0.81, 0.85) == "amber"
    assert comparison.target_status(kpi, 0.70, 0.85) == "red"
    assert stats.differs(95, 100, 0.85) == 1       # 95% of 100 is above a median of 85%
    assert stats.differs(19, 20, 0.85) == 0        # 95% of 20 may be noise


def test_report_pdf_carries_the_figures_of_the_page(hand):
    import io

    from pypdf import PdfReader

    from csm.dashboards import report

    r = report.build(hand, actor(), NOV)
    assert r.figures["on_time_rate"] == "80.0%" and r.figures["revisit_rate"] == "66.7%"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf(r))).pages)
    for key in ("received", "on_time_rate", "revisit_rate", "revisit_satisfaction", "survey_return_rate",
                "survey_satisfaction", "resolve_p50"):
        assert r.figures[key] in text, key
    assert "统计分析报告" in text and "一分公司" in text  # the ranking names the branches
    assert "业主" not in text                          # no resident's name at group scope


def test_monthly_summary_and_its_excel_file(hand):
    import io

    from openpyxl import load_workbook

    from csm.dashboards import exports

    frame, headers = exports.monthly_summary(hand, actor(), NOV)
    assert list(frame["code"]) == ["TS-T-1", "TS-T-2", "TS-T-3", "TS-T-4", "TS-T-6", "TS-T-7"]
    by_code = frame.set_index("code")
    assert by_code.loc["TS-T-2", "validity"] == "无效投诉" and by_code.loc["TS-T-2", "completed"] == "是"
    assert by_code.loc["TS-T-4", "completed"] == "否"
    ws = load_workbook(io.BytesIO(exports.xlsx(frame, headers, "月度", "Asia/Shanghai"))).active
    assert [c.value for c in ws[1]][:4] == ["分公司", "项目", "月份", "投诉编号"]
    assert ws.freeze_panes == "A2" and ws.max_row == 1 + len(frame)
    assert [ws.cell(row=i + 2, column=4).value for i in range(len(frame))] == list(frame["code"])


def test_comparison_excel_equals_the_table(hand):
    import io

    from openpyxl import load_workbook

    from csm import excel
    from csm.dashboards import comparison

    rows, headers = comparison.table(comparison.league(hand, actor(), NOV), "on_time_rate")
    ws = load_workbook(io.BytesIO(excel.frame_to_xlsx(__import__("pandas").DataFrame(rows), headers, "x"))).active
    got = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=list(headers).index("focus") + 1).value
           for r in range(2, ws.max_row + 1)}
    assert got == {"B1": 75.0, "B2": 100.0}  # numbers as numbers, as on the page


@pytest.mark.parametrize("role", ["clerk", "supervisor", "manager", "head_office", "admin"])
def test_every_dashboard_read_checks_the_role_inside(hand, role):
    from csm import policy
    from csm.dashboards import comparison, exports, reads

    who = actor(role, Scope("project", 1) if role in ("clerk", "supervisor") else GROUP)
    calls = {
        "dashboards.kpis": [lambda: kpis.measure(hand, who, NOV), lambda: reads.attention(hand, who),
                            lambda: reads.complaints_behind(hand, who, NOV), lambda: reads.projects(hand, who)],
        "dashboards.comparison": [lambda: comparison.league(hand, who, NOV)],
        "dashboards.report": [lambda: exports.monthly_summary(hand, who, NOV)],
    }
    for name, fns in calls.items():
        for fn in fns:
            if policy.allows(who, name):
                fn()
            else:
                with pytest.raises(PermissionDenied) as exc:
                    fn()
                assert exc.value.message() == "您的角色无权访问此页面。"


# ---- survey items of a drilled unit ------------------------------------------------------------
def test_survey_items_count_the_forms_behind_them(db):
    from csm.dashboards import reads, stats
    from csm.errors import PermissionDenied
    from csm.org.scope import Scope
    from tests.conftest import branch_id
    from tests.policy_matrix import actor_for

    hq = actor_for(db, "head_office")
    b1 = Scope("branch", branch_id(db, "B01"))
    drilled = reads.survey_items(db, hq, b1)
    assert drilled["wave_id"] and drilled["items"]
    for i in drilled["items"]:
        assert i["rated"] == i["n4"] + i["n3"] + i["n2"] + i["n1"]
        if i["rated"]:
            assert i["satisfaction"] == pytest.approx((i["n4"] + i["n3"] + i["n2"]) / i["rated"])
            assert (i["low"], i["high"]) == pytest.approx(stats.wilson(i["qualified"], i["rated"]))
        else:
            assert i["satisfaction"] is None and i["low"] is None
        forms = reads.survey_item_forms(db, hq, b1, drilled["wave_id"], i["item_key"], True, limit=100_000)
        assert len(forms) == i["n1"]
        every = reads.survey_item_forms(db, hq, b1, drilled["wave_id"], i["item_key"], False, limit=100_000)
        assert len(every) == i["rated"]
        assert all("respondent_name" not in f and "respondent_phone" not in f for f in every)
    # a branch manager of B01 may not drill into B02
    manager = actor_for(db, "manager")
    with pytest.raises(PermissionDenied):
        reads.survey_items(db, manager, Scope("branch", branch_id(db, "B02")))
