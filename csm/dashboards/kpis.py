"""The indicators of DOMAIN §5, each defined once: name, formula, unit, target, direction, value.

Every screen, export, report and test that shows an indicator takes it from `KPIS` and
`measure()`; the figures come from the named statements queries/dashboards/dash_*.sql and the
revisit indicator statement, so a rate can never be computed two ways. A rate whose
denominator is empty is `None` with the reason, shown as "—", never 0%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.org.scope import Scope

HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Kpi:
    key: str
    unit: str                     # count | rate | hours | per100
    direction: str | None         # higher or lower is better; None: neither (a volume)
    target: float | None = None   # a fixed target (rates 0..1); None: none or from settings
    target_setting: str | None = None
    snapshot: bool = False        # a state "now", not a flow of the period: no change shown

    @property
    def name_key(self) -> str:
        return f"kpi.{self.key}"

    @property
    def formula_key(self) -> str:
        return f"kpi.{self.key}.formula"


KPIS: tuple[Kpi, ...] = (
    Kpi("received", "count", None),
    Kpi("received_per100", "per100", LOWER),
    Kpi("valid", "count", LOWER),
    Kpi("on_time_rate", "rate", HIGHER, target=0.95),
    Kpi("overdue_open", "count", LOWER, snapshot=True),
    Kpi("first_answer_p50", "hours", LOWER),
    Kpi("first_answer_p90", "hours", LOWER),
    Kpi("resolve_p50", "hours", LOWER),
    Kpi("resolve_p90", "hours", LOWER),
    Kpi("reopened", "count", LOWER),
    Kpi("revisit_rate", "rate", HIGHER, target=1.0),
    Kpi("revisit_on_time_rate", "rate", HIGHER, target=1.0),
    Kpi("revisit_satisfaction", "rate", HIGHER),
    Kpi("survey_return_rate", "rate", HIGHER, target_setting="survey.return_rate_target"),
    Kpi("survey_satisfaction", "rate", HIGHER, target_setting="survey.satisfaction_target"),
    Kpi("actions_open", "count", LOWER, snapshot=True),
    Kpi("actions_overdue", "count", LOWER, snapshot=True),
    Kpi("actions_done", "count", HIGHER),
)
BY_KEY = {k.key: k for k in KPIS}
BREAKDOWNS = ("category", "grade", "validity", "channel")


@dataclass(frozen=True)
class Value:
    """One figure: value (None = undefined), and for rates the numerator and denominator."""
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    reason: str | None = None     # catalog key saying why the value is undefined


@dataclass(frozen=True)
class Period:
    first: date
    last: date   # inclusive

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        from csm.period import range_bounds

        return range_bounds(tz, self.first, self.last)


def _rate(k: int | None, n: int | None, reason: str) -> Value:
    k, n = int(k or 0), int(n or 0)
    return Value(k / n if n else None, k, n, None if n else reason)


def _count(v) -> Value:
    return Value(int(v or 0))


def _hours(v, n) -> Value:
    if not n or v is None:
        return Value(None, reason="kpi.reason.no_rows")
    return Value(float(v), denominator=int(n))


def values(c: dict, keys: tuple[str, ...] | None = None) -> dict[str, Value]:
    """The indicators from their counts (the columns of dash_complaint_kpis, revisit_indicators as
    rv_*, dash_survey_kpis with `wave` true when there is one, dash_action_kpis): the one place where
    a count becomes a figure, for the dashboard and the league table alike."""
    def g(name):
        return c.get(name)

    wave = bool(c.get("wave"))
    households = int(g("households") or 0)
    builders = {
        "received": lambda: _count(g("received")),
        "received_per100": lambda: (Value(int(g("received_known") or 0) * 100.0 / households,
                                          int(g("received_known") or 0), households)
                                    if households else Value(None, reason="kpi.reason.no_households")),
        "valid": lambda: _count(g("valid")),
        "on_time_rate": lambda: _rate(g("on_time"), g("due"), "kpi.reason.nothing_due"),
        "overdue_open": lambda: _count(g("overdue_open")),
        "first_answer_p50": lambda: _hours(g("first_answer_p50"), g("answered")),
        "first_answer_p90": lambda: _hours(g("first_answer_p90"), g("answered")),
        "resolve_p50": lambda: _hours(g("resolve_p50"), g("resolved")),
        "resolve_p90": lambda: _hours(g("resolve_p90"), g("resolved")),
        "reopened": lambda: _count(g("reopened")),
        "revisit_rate": lambda: _rate(g("rv_done"), g("rv_due"), "kpi.reason.nothing_due"),
        "revisit_on_time_rate": lambda: _rate(g("rv_done_on_time"), g("rv_due"), "kpi.reason.nothing_due"),
        "revisit_satisfaction": lambda: _rate(g("rv_satisfied"), g("rv_rated"), "kpi.reason.nothing_rated"),
        "survey_return_rate": lambda: (_rate(g("returned"), g("issued"), "kpi.reason.no_forms") if wave
                                       else Value(None, reason="kpi.reason.no_wave")),
        "survey_satisfaction": lambda: (_rate(g("qualified"), int(g("qualified") or 0) + int(g("unsatisfied") or 0),
                                              "kpi.reason.nothing_rated") if wave
                                        else Value(None, reason="kpi.reason.no_wave")),
        "actions_open": lambda: _count(g("actions_open")),
        "actions_overdue": lambda: _count(g("actions_overdue")),
        "actions_done": lambda: _count(g("actions_done")),
    }
    assert builders.keys() == BY_KEY.keys()
    return {k: builders[k]() for k in (keys or BY_KEY)}


def period_params(actor: Actor, period: Period) -> dict:
    start, end = period.bounds(actor.tz)
    end_date = end.astimezone(ZoneInfo(actor.tz)).date()
    return {"period_start": start, "period_end": end, "now": actor.now(), "today": actor.today(),
            "period_first": period.first, "period_last_excl": end_date}


def measure(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> dict[str, Value]:
    """Every indicator of `KPIS` for the period, in `scope` (default: the actor's own; a narrower
    scope inside it may be asked for, anything else is refused)."""
    policy.ensure(actor, "dashboards.kpis")
    scope = policy.narrow(db, actor, scope)
    pp = period_params(actor, period)
    sp = scope.params()
    c = db.one("dashboards/complaint_kpis", {**sp, **{k: pp[k] for k in ("period_start", "period_end", "now")}})
    r = db.one("revisits/indicators", {**sp, "period_start": pp["period_start"],
                                      "period_end": min(pp["period_end"], pp["now"]),
                                      "kind": None, "project_id": None, "group_by": "all"}) or {}
    s = latest_wave(db, scope, period, actor) or {}
    a = db.one("dashboards/action_kpis", {**sp, **{k: pp[k] for k in ("today", "period_first", "period_last_excl")}})
    counts = {**c, **{f"rv_{k}": v for k, v in r.items()}, **s, "wave": bool(s), **a}
    return values(counts)


def latest_wave(db: Database, scope: Scope, period: Period, actor: Actor) -> dict | None:
    """The latest survey wave in the scope that started before the period's end, with its counts."""
    return db.one("dashboards/survey_kpis", {**scope.params(),
                                       "period_end_date": period_params(actor, period)["period_last_excl"]})


def breakdown(db: Database, actor: Actor, period: Period, dimension: str,
              scope: Scope | None = None) -> list[dict]:
    """Complaints received in the period per category (first level), grade, validity or channel."""
    policy.ensure(actor, "dashboards.kpis")
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    scope = policy.narrow(db, actor, scope)
    start, end = period.bounds(actor.tz)
    return db.rows("dashboards/complaints_by", {**scope.params(), "period_start": start, "period_end": end,
                                          "dimension": dimension})


def target(db: Database, kpi: Kpi) -> float | None:
    if kpi.target_setting:
        raw = db.value("core/setting_get", {"key": kpi.target_setting})
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None
    return kpi.target


def better(kpi: Kpi, old: float | None, new: float | None) -> int:
    """+1 when the change from old to new is an improvement, -1 when worse, 0 otherwise."""
    if kpi.direction is None or old is None or new is None or old == new:
        return 0
    up = new > old
    return 1 if up == (kpi.direction == HIGHER) else -1


# ---- display (the same text on the page, in exports and in the report) -------------------------
def shown(kpi: Kpi, value: Value) -> str:
    """The figure as shown: '80.0%', '1,234', '12.5 小时', '1.7'; '—' when undefined."""
    from csm import fmt
    from csm.i18n import t

    v = value.value
    if v is None:
        return t("common.none")
    if kpi.unit == "rate":
        return fmt.pct(v)
    if kpi.unit == "hours":
        return t("dash.hours", v=v)
    if kpi.unit == "per100":
        return f"{v:.1f}"
    return fmt.num(v)


def change(kpi: Kpi, old: Value, new: Value) -> str | None:
    """The change from old to new as shown ('+3.0 个百分点', '-12', '+1.5 h'); None when either is undefined."""
    from csm.i18n import t

    if kpi.snapshot or old.value is None or new.value is None:
        return None
    d = new.value - old.value
    if kpi.unit == "rate":
        return t("dash.pp", v=d * 100)
    if kpi.unit == "hours":
        return t("dash.hours", v=d).replace(f"{d:.1f}", f"{d:+.1f}", 1)
    if kpi.unit == "per100":
        return f"{d:+.1f}"
    return f"{d:+,.0f}"
