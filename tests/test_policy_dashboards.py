"""Role matrix of the dashboard reads (see tests/policy_matrix.py)."""

from datetime import date

from csm.dashboards import comparison, exports, kpis, reads, report
from tests.policy_matrix import Case, matrix_test

NOV = kpis.Period(date(2026, 11, 1), date(2026, 11, 30))


def _p001(db):
    from csm.org.scope import Scope

    return Scope("project", db.one("org/project_by_code", {"code": "P001"})["id"])


def _no_p001(db, rows):
    assert rows and _p001(db).id not in {r["id"] for r in rows}


def _wave(db, actor):
    """A survey wave of P001 (looked up without the actor's rights: the read is what is tested)."""
    return db.value("dashboards/survey_kpis", {**_p001(db).params(), "period_end_date": date(2100, 1, 1)})


CASES = [
    Case("dashboards.kpis", lambda db, a: kpis.measure(db, a, NOV), record=False, id="kpis.measure"),
    Case("dashboards.kpis", lambda db, a: kpis.measure(db, a, NOV, _p001(db)), id="kpis.measure.P001"),
    Case("dashboards.kpis", lambda db, a: reads.attention(db, a), record=False, id="reads.attention"),
    Case("dashboards.kpis", lambda db, a: reads.complaints_behind(db, a, NOV, _p001(db)),
         id="reads.complaints_behind.P001"),
    Case("dashboards.kpis", lambda db, a: reads.projects(db, a), record=False,
         check_outside=lambda db, rows: _no_p001(db, rows), id="reads.projects"),
    Case("dashboards.comparison", lambda db, a: comparison.league(db, a, NOV), record=False, id="league"),
    Case("dashboards.kpis", lambda db, a: reads.indicators(db, a, NOV, _p001(db)), id="reads.indicators.P001"),
    Case("dashboards.comparison", lambda db, a: reads.survey_items(db, a, _p001(db)), id="reads.survey_items.P001"),
    Case("dashboards.comparison", lambda db, a: reads.survey_item_forms(db, a, _p001(db), _wave(db, a), "cs_attitude"),
         id="reads.survey_item_forms.P001"),
    Case("dashboards.report", lambda db, a: exports.monthly_summary(db, a, NOV, _p001(db)),
         id="exports.monthly_summary.P001"),
    Case("dashboards.report", lambda db, a: report.build(db, a, NOV, _p001(db)), id="report.build.P001"),
]

test_role_matrix = matrix_test(CASES)
