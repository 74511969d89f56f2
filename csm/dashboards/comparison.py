"""Head-office comparison: a league table of branches (or of one branch's projects) on the same
indicators as the dashboard, with the group median, the previous period, targets and — for
rates — the 95% Wilson interval, so a unit is marked above or below the median only when the
difference is more than noise. No resident's name or phone is read here."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from csm import policy
from csm.actor import Actor
from csm.dashboards import kpis, stats
from csm.dashboards.kpis import Period, Value
from csm.dashboards.periods import previous
from csm.db import Database
from csm.org.scope import Scope

LEAGUE_KEYS = ("received", "received_per100", "valid", "on_time_rate", "overdue_open", "resolve_p50",
               "revisit_rate", "revisit_on_time_rate", "revisit_satisfaction", "survey_return_rate",
               "survey_satisfaction", "actions_open", "actions_overdue", "actions_done")
AMBER_BAND = 0.05  # a rate within 5 points under its target is amber, further under is red


@dataclass
class Unit:
    unit_id: int
    code: str
    name: str
    branch: str
    households: int
    values: dict[str, Value]
    previous: dict[str, Value]
    vs_median: dict[str, int] = field(default_factory=dict)   # +1 better, -1 worse (significant), 0
    status: dict[str, str | None] = field(default_factory=dict)  # green / amber / red against the target


@dataclass
class League:
    level: str                    # branch | project
    scope: Scope
    wave: dict | None             # the survey wave compared (the latest in scope)
    units: list[Unit]
    medians: dict[str, float | None]
    targets: dict[str, float | None]


def target_status(kpi: kpis.Kpi, value: float | None, target: float | None) -> str | None:
    if value is None or target is None or kpi.unit != "rate":
        return None
    if value >= target - 1e-12:
        return "green"
    return "amber" if value >= target - AMBER_BAND else "red"


def _counts_rows(db: Database, actor: Actor, scope: Scope, level: str, period: Period, wave_id) -> list[dict]:
    pp = kpis.period_params(actor, period)
    return db.rows("dashboards/league", {**scope.params(), **pp, "level": level, "wave_id": wave_id})


def league(db: Database, actor: Actor, period: Period, branch_id: int | None = None) -> League:
    """Branches of the actor's scope, or the projects of `branch_id` (or of the actor's branch)."""
    policy.ensure(actor, "dashboards.comparison")
    scope = policy.narrow(db, actor, Scope("branch", branch_id) if branch_id else None)
    level = "branch" if scope.kind == "group" else "project"
    wave = kpis.latest_wave(db, scope, period, actor)
    wave_id = wave["wave_id"] if wave else None
    rows = _counts_rows(db, actor, scope, level, period, wave_id)
    before = {r["grp_id"]: r for r in _counts_rows(db, actor, scope, level, previous(period), wave_id)}
    targets = {k: kpis.target(db, kpis.BY_KEY[k]) for k in LEAGUE_KEYS}
    units = []
    for r in rows:
        counts = {**r, "wave": wave is not None}
        prev = {**before.get(r["grp_id"], {}), "wave": wave is not None}
        units.append(Unit(r["grp_id"], r["code"], r["name"], r["branch"], int(r["households"] or 0),
                          kpis.values(counts, LEAGUE_KEYS), kpis.values(prev, LEAGUE_KEYS)))
    medians = {}
    for key in LEAGUE_KEYS:
        known = [u.values[key].value for u in units if u.values[key].value is not None]
        medians[key] = statistics.median(known) if known else None
    for u in units:
        for key in LEAGUE_KEYS:
            kpi, v = kpis.BY_KEY[key], u.values[key]
            u.status[key] = target_status(kpi, v.value, targets[key])
            if kpi.unit == "rate" and v.denominator:
                side = stats.differs(v.numerator, v.denominator, medians[key])
                u.vs_median[key] = side if kpi.direction == kpis.HIGHER else -side
            else:
                u.vs_median[key] = 0
    return League(level, scope, wave, units, medians, targets)


def branch_waves(db: Database, actor: Actor, n_waves: int = 6) -> list[dict]:
    """Satisfaction per branch and wave (the small multiples), seed 002 formula."""
    policy.ensure(actor, "dashboards.comparison")
    rows = db.rows("dashboards/branch_waves", {**actor.params(), "n_waves": n_waves})
    for r in rows:
        rated = r["qualified"] + r["unsatisfied"]
        r["satisfaction"] = r["qualified"] / rated if rated else None
    return rows


# ---- the table as shown (the page and its Excel file use the same rows) ---------------------------
SIDE_TEXT = {1: "cmp.side.better", -1: "cmp.side.worse", 0: "cmp.side.same"}
STATUS_TEXT = {"green": "cmp.status.green", "amber": "cmp.status.amber", "red": "cmp.status.red"}
OTHER_KEYS = ("received", "received_per100", "on_time_rate", "overdue_open", "revisit_rate",
              "survey_return_rate", "survey_satisfaction", "actions_overdue")


def _number(kpi: kpis.Kpi, v: Value) -> float | None:
    """A figure as a plain number for sorting and Excel: rates in percent, one decimal."""
    if v.value is None:
        return None
    if kpi.unit == "rate":
        return round(v.value * 100, 1)
    if kpi.unit in ("hours", "per100"):
        return round(v.value, 1)
    return v.value


def table(lg: League, focus: str) -> tuple[list[dict], dict[str, str]]:
    """Rows (column id -> value) and headers (column id -> text in the user's language) of the
    league table for one focus indicator: its value, n and 95% interval (rates), the previous
    period and the change, the side of the median (significant only) and the target status, then
    the other main indicators."""
    from csm.i18n import t

    kpi = kpis.BY_KEY[focus]
    rate = kpi.unit == "rate"
    headers = {"code": t("cmp.col.code"), "name": t("cmp.col.name")}
    if lg.level == "project":
        headers["branch"] = t("cmp.col.branch")
    headers["households"] = t("cmp.col.households")
    headers["focus"] = t(kpi.name_key) + (" (%)" if rate else "")
    if rate:
        headers |= {"n": t("cmp.col.n"), "ci": t("cmp.col.ci")}
    headers |= {"previous": t("cmp.col.previous"), "change": t("cmp.col.change"),
                "median": t("cmp.col.vs_median")}
    if rate:
        headers["status"] = t("cmp.col.status")
    others = [k for k in OTHER_KEYS if k != focus]
    for k in others:
        o = kpis.BY_KEY[k]
        headers[k] = t(o.name_key) + (" (%)" if o.unit == "rate" else "")
    rows = []
    for u in lg.units:
        v, p = u.values[focus], u.previous[focus]
        now_n, before_n = _number(kpi, v), _number(kpi, p)
        row = {"unit_id": u.unit_id, "code": u.code, "name": u.name, "branch": u.branch,
               "households": u.households or None, "focus": now_n, "previous": before_n,
               "change": (round(now_n - before_n, 1) if now_n is not None and before_n is not None
                          and not kpi.snapshot else None),
               "median": t(SIDE_TEXT[u.vs_median.get(focus, 0)])}
        if rate:
            interval = stats.wilson(v.numerator or 0, v.denominator or 0)
            row["n"] = v.denominator or 0
            row["ci"] = (f"{interval[0] * 100:.1f}–{interval[1] * 100:.1f}" if interval else t("common.none"))
            row["status"] = t(STATUS_TEXT[u.status[focus]]) if u.status.get(focus) else ""
        for k in others:
            row[k] = _number(kpis.BY_KEY[k], u.values[k])
        rows.append(row)
    return rows, headers
