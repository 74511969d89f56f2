"""What the manager dashboard shows besides the indicator tiles: trends, distributions, the rows
behind a chart mark, and the "needs attention" list. Each read checks the policy and narrows the
scope inside the actor's own (csm.policy), like csm.dashboards.kpis.measure."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from csm import policy, privacy
from csm.actor import Actor
from csm.dashboards import kpis, periods, stats
from csm.dashboards.kpis import Period
from csm.db import Database
from csm.org.scope import Scope

ATTENTION_KINDS = ("overdue", "due_soon", "reopened", "unsatisfied_revisit", "action_overdue")
ROWS_LIMIT = 200


def _prepare(db: Database, actor: Actor, scope: Scope | None) -> dict:
    policy.ensure(actor, "dashboards.kpis")
    return policy.narrow(db, actor, scope).params()


def _bounds(actor: Actor, period: Period) -> dict:
    start, end = period.bounds(actor.tz)
    return {"period_start": start, "period_end": end}


@policy.guarded("dashboards.kpis")
def indicators(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> dict[str, dict]:
    """Every indicator for the period, the previous period and the same period a year earlier
    ({"current", "previous", "year_ago"}: key -> kpis.Value), as the dashboard's tiles show them.
    The three are counted side by side (DuckDB runs each on its own cursor outside the GIL): the
    tiles are the first screen, and one after the other they were most of a cold rerun."""
    asked = {"current": period, "previous": periods.previous(period), "year_ago": periods.year_before(period)}
    with ThreadPoolExecutor(max_workers=len(asked), thread_name_prefix="indicators") as pool:
        running = {k: pool.submit(kpis.measure, db, actor, p, scope) for k, p in asked.items()}
        return {k: f.result() for k, f in running.items()}


@policy.guarded("dashboards.kpis")
def complaints_per_bucket(db: Database, actor: Actor, period: Period, scope: Scope | None = None,
                          grain: str = "month") -> list[dict]:
    """Complaints received per week or month and first-level category (stacked bars)."""
    if grain not in ("day", "week", "month"):
        raise ValueError(grain)
    return db.rows("dashboards/complaint_series", {**_prepare(db, actor, scope), **_bounds(actor, period),
                                             "grain": grain})


@policy.guarded("dashboards.kpis")
def on_time_per_month(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> list[dict]:
    """Per month: complaints whose limit fell then, those answered by it, and the rate (None if none due)."""
    rows = db.rows("dashboards/on_time_series", {**_prepare(db, actor, scope), **_bounds(actor, period),
                                           "now": actor.now()})
    return [{**r, "rate": r["on_time"] / r["due"] if r["due"] else None} for r in rows]


@policy.guarded("dashboards.kpis")
def revisits_per_month(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> list[dict]:
    rows = db.rows("dashboards/revisit_series", {**_prepare(db, actor, scope), **_bounds(actor, period),
                                           "now": actor.now()})
    return [{**r, "revisit_rate": r["done"] / r["due"] if r["due"] else None,
             "satisfaction": r["satisfied"] / r["rated"] if r["rated"] else None} for r in rows]


@policy.guarded("dashboards.kpis")
def survey_waves(db: Database, actor: Actor, scope: Scope | None = None, n_waves: int = 8) -> list[dict]:
    """The last waves in scope with return rate and seed-002 satisfaction rate (None when undefined)."""
    rows = db.rows("dashboards/survey_series", {**_prepare(db, actor, scope), "n_waves": n_waves})
    out = []
    for r in rows:
        rated = r["qualified"] + r["unsatisfied"]
        out.append({**r, "return_rate": r["returned"] / r["issued"] if r["issued"] else None,
                    "satisfaction": r["qualified"] / rated if rated else None})
    return out


@policy.guarded("dashboards.kpis")
def resolve_hours(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> list[dict]:
    """Complaints resolved in the period per band of hours to resolution."""
    return db.rows("dashboards/resolve_hours", {**_prepare(db, actor, scope), **_bounds(actor, period)})


@policy.guarded("dashboards.kpis")
def complaints_behind(db: Database, actor: Actor, period: Period, scope: Scope | None = None,
                      category: str | None = None, limit: int = ROWS_LIMIT) -> list[dict]:
    """The complaints behind a bar (a period bucket and/or a category), newest first."""
    rows = db.rows("dashboards/complaint_rows", {**_prepare(db, actor, scope), **_bounds(actor, period),
                                                 "category": category, "limit": limit})
    # head office: the summary a resident dictated may hold a unit number or a phone (csm.privacy)
    return privacy.redact_rows(rows, ("summary",)) if privacy.group_view(actor) else rows


@policy.guarded("dashboards.comparison")
def survey_items(db: Database, actor: Actor, scope: Scope | None = None, wave_id: int | None = None) -> dict:
    """A drill into the survey items of a branch or project (inside the actor's scope) on the
    comparison: {"wave": the wave (`wave_id`, or the latest in the scope that has started), "items":
    per item its rating counts, n rated, satisfaction rate and 95% Wilson interval}. No wave: items []."""
    scope = policy.narrow(db, actor, scope)
    if wave_id is None:
        wave = kpis.latest_wave(db, scope, Period(actor.today(), actor.today()), actor)
        wave_id = wave["wave_id"] if wave else None
    if wave_id is None:
        return {"wave_id": None, "items": []}
    rows = db.rows("dashboards/survey_items", {**scope.params(), "wave_id": int(wave_id)})
    # the same items over the actor's whole scope: an item is marked only when it differs by more than noise
    wider = ({r["item_key"]: r["satisfaction"] for r in db.rows("dashboards/survey_items", {**actor.params(),
                                                                                     "wave_id": int(wave_id)})}
             if scope != actor.scope else {})
    items = []
    for r in rows:
        interval = stats.wilson(r["qualified"], r["rated"])
        reference = wider.get(r["item_key"])
        items.append({**r, "low": interval[0] if interval else None, "high": interval[1] if interval else None,
                      "reference": reference, "vs_reference": stats.differs(r["qualified"], r["rated"], reference)})
    return {"wave_id": int(wave_id), "items": items}


@policy.guarded("dashboards.comparison")
def survey_item_forms(db: Database, actor: Actor, scope: Scope | None, wave_id: int, item_key: str,
                      unsatisfied_only: bool = True, limit: int = ROWS_LIMIT) -> list[dict]:
    """The returned forms behind one item's rate in the scope (不满意 ones, or every rating), newest
    first; no resident's name, phone, unit or comment."""
    scope = policy.narrow(db, actor, scope)
    return db.rows("dashboards/survey_item_forms", {**scope.params(), "wave_id": int(wave_id), "item_key": item_key,
                                              "unsatisfied_only": bool(unsatisfied_only), "limit": int(limit)})


@policy.guarded("dashboards.kpis")
def attention(db: Database, actor: Actor, scope: Scope | None = None, soon_hours: int = 4,
              limit: int = 20) -> list[dict]:
    """Needs attention now: overdue, due within `soon_hours`, reopened, 不满意 revisits whose
    complaint is still open, corrective actions past their deadline."""
    rows = db.rows("dashboards/attention", {**_prepare(db, actor, scope), "now": actor.now(),
                                            "soon_hours": soon_hours, "today": actor.today(), "limit": limit})
    return privacy.redact_rows(rows, ("summary",)) if privacy.group_view(actor) else rows


@policy.guarded("dashboards.kpis")
def projects(db: Database, actor: Actor) -> list[dict]:
    """The projects the actor may pick on a dashboard (their whole scope)."""
    policy.ensure(actor, "dashboards.kpis")
    return db.rows("org/projects_in_scope", actor.params())


# ---- targets (issue 11): hours to close per department --------------------------------------
@policy.guarded("dashboards.kpis")
def close_hours_by_department(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> list[dict]:
    """Per department: complaints closed in the period, median and 90th percentile of hours from
    receipt to closing (imported history in the period of its own closing time)."""
    return db.rows("dashboards/close_hours_by_department", {**_prepare(db, actor, scope), **_bounds(actor, period)})
