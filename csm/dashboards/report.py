"""统计分析报告 (statistical analysis report, DOMAIN §4 and §6; seeds 000, 002, 003) for a scope and
a period, as a PDF: the indicators with their definitions, the charts (the dashboard's Altair
charts rendered by vl-convert), the Pareto of unsatisfied survey items, the ranking of branches or
projects, the corrective actions and their results, and a summary of approach (forms issued and
returned, method, items excluded as unrated, the formula used). Figures come from
csm.dashboards.kpis and .comparison, so the PDF says what the screens say."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from csm import fmt, policy, privacy
from csm.actor import Actor
from csm.dashboards import charts, comparison, kpis, periods, reads
from csm.dashboards.kpis import Period
from csm.db import Database
from csm.i18n import label, t
from csm.org.scope import Scope, describe

TEMPLATES = Path(__file__).parent / "templates"
FONT = "Noto Sans CJK SC"
REPORT_KEYS = tuple(k.key for k in kpis.KPIS)


@dataclass
class Report:
    title: str
    scope_name: str
    period: Period
    html: str
    figures: dict[str, str]   # kpi key -> the text shown (for tests and the page)


def _png(chart) -> str:
    """A chart as an inline PNG (data URI), with the CJK font so that Chinese labels render."""
    import vl_convert as vlc

    spec = chart.properties(width=520).configure(font=FONT).to_json(validate=False)
    png = vlc.vegalite_to_png(vl_spec=spec, scale=2)
    return "data:image/png;base64," + base64.b64encode(png).decode()


def build(db: Database, actor: Actor, period: Period, scope: Scope | None = None) -> Report:
    """The report's data and HTML (render to PDF with `pdf`)."""
    import jinja2

    policy.ensure(actor, "dashboards.report")
    scope = policy.narrow(db, actor, scope)
    lang = actor.lang
    current = kpis.measure(db, actor, period, scope)
    before = kpis.measure(db, actor, periods.previous(period), scope)
    rows = [{"name": t(k.name_key, lang), "value": kpis.shown(k, current[k.key]),
             "previous": kpis.shown(k, before[k.key]), "change": kpis.change(k, before[k.key], current[k.key]) or "",
             "reason": t(current[k.key].reason, lang) if current[k.key].reason else "",
             "formula": t(k.formula_key, lang)} for k in kpis.KPIS]
    axes = {name: t(f"dash.axis.{name}", lang) for name in ("bucket", "count", "category", "rate", "target",
                                                             "cumulative", "band", "wave", "measure",
                                                             "returned", "issued")}
    images = []
    per_month = reads.complaints_per_bucket(db, actor, period, scope, "month")
    if per_month:
        images.append((t("dash.chart.per_bucket", lang), _png(charts.complaints_stacked(per_month, lang, axes))))
    by_cat = kpis.breakdown(db, actor, period, "category", scope)
    if by_cat:
        images.append((t("dash.chart.pareto", lang), _png(charts.pareto(by_cat, lang, axes))))
    waves = reads.survey_waves(db, actor, scope)
    if any(w["satisfaction"] is not None for w in waves):
        images.append((t("dash.chart.waves", lang),
                       _png(charts.survey_waves(waves, kpis.target(db, kpis.BY_KEY["survey_satisfaction"]), axes))))
    breakdowns = {dim: kpis.breakdown(db, actor, period, dim, scope) for dim in ("grade", "validity", "channel")}
    for dim in ("grade", "validity"):
        for r in breakdowns[dim]:
            r["name"] = label(r["value"], dim) if r["value"] != "unjudged" else t("report.unjudged", lang)
    for r in breakdowns["channel"]:
        r["name"] = r["name"] if lang == "zh" else r["name_en"]

    wave = kpis.latest_wave(db, scope, period, actor)
    approach = None
    pareto_items: list[dict] = []
    if wave:
        approach = db.one("dashboards/report_survey_approach", {**scope.params(), "wave_id": wave["wave_id"]})
        pareto_items = db.rows("surveys/pareto", {**scope.params(), "wave_id": wave["wave_id"],
                                                 "project_id": None})[:15]
    # the latest wave's actions, those still open, and those finished in the period
    actions = [a for a in db.rows("surveys/actions", {**scope.params(), "wave_id": None, "status": None,
                                                          "today": actor.today()})
               if a["status"] == "open" or (wave and a["wave_id"] == wave["wave_id"])
               or (a["done_on"] and period.first <= a["done_on"] <= period.last)]
    if privacy.group_view(actor):  # head office's copy: no unit number or phone in the typed texts
        actions = privacy.redact_rows(actions, ("problem", "measure", "result"))
    ranking = None
    if scope.kind != "project" and policy.allows(actor, "dashboards.comparison"):
        lg = comparison.league(db, actor, period, scope.id if scope.kind == "branch" else None)
        ranking = {"level": lg.level, "rows": sorted(
            ({"name": u.name,
              "satisfaction": kpis.shown(kpis.BY_KEY["survey_satisfaction"], u.values["survey_satisfaction"]),
              "sat_n": u.values["survey_satisfaction"].denominator or 0,
              "on_time": kpis.shown(kpis.BY_KEY["on_time_rate"], u.values["on_time_rate"]),
              "received": kpis.shown(kpis.BY_KEY["received"], u.values["received"]),
              "per100": kpis.shown(kpis.BY_KEY["received_per100"], u.values["received_per100"]),
              "key": u.values["survey_satisfaction"].value if u.values["survey_satisfaction"].value is not None
              else -1} for u in lg.units), key=lambda r: -r["key"])}
    scope_name = describe(db, scope)
    company = db.value("core/setting_get", {"key": "company_name"}) or ""
    generated = datetime.now(ZoneInfo(actor.tz))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    html = env.get_template("report.html").render(
        t=lambda key, **kw: t(key, lang, **kw), lang=lang, font=FONT, company=company, scope_name=scope_name,
        period=period, generated=fmt.dt(generated, actor.tz), rows=rows, images=images, breakdowns=breakdowns,
        wave=wave, approach=approach, pareto=pareto_items, actions=actions, ranking=ranking,
        pct=fmt.pct, label=label)
    return Report(t("report.title", lang), scope_name, period, html,
                  {k.key: kpis.shown(k, current[k.key]) for k in kpis.KPIS})


def pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=report.html, base_url=str(TEMPLATES)).write_pdf()
