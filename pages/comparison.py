"""Branch comparison (head office; a branch manager sees their own branch's projects): a league
table on one focus indicator with n, the 95% interval, the median, the previous period and the
target, charts to drill in by clicking, and the complaints of a project without residents' data."""

import pandas as pd
import streamlit as st

from csm import exports, fmt
from csm.dashboards import charts, comparison, kpis, reads
from csm.errors import UserError
from csm.i18n import label, t
from csm.org.scope import Scope
from csm.web import ui
from csm.web.cache import cached, chart_spec, chart_spec_for
from csm.web.periods import period_picker

user = ui.guard("comparison")
db, actor = ui.acting(user)
lang = actor.lang

c1, c2 = st.columns([3, 2])
period = period_picker("comparison", actor.today(), container=c1)
focus = c2.selectbox(t("cmp.focus"), list(comparison.LEAGUE_KEYS), index=comparison.LEAGUE_KEYS.index("on_time_rate"),
                     format_func=lambda k: t(kpis.BY_KEY[k].name_key), key="comparison.focus")
kpi = kpis.BY_KEY[focus]

# the drill-down path lives in the URL (?branch=…&project=…) and is checked against the scope
branch_param = st.query_params.get("branch")
branch_id = int(branch_param) if branch_param and branch_param.isdigit() else None
if actor.scope.kind == "group":
    top = cached(comparison.league, db, actor, period, None)
    branch_names = {u.unit_id: u.name for u in top.units}
    if "comparison.branch" not in st.session_state:  # a link or a reload: the branch in the URL
        st.session_state["comparison.branch"] = branch_id if branch_id in branch_names else 0
    branch_id = st.selectbox(t("cmp.branch"), [0, *branch_names], key="comparison.branch",
                             format_func=lambda v: t("cmp.all_branches") if not v else branch_names[v])
try:
    league = cached(comparison.league, db, actor, period, branch_id or None)
except UserError as exc:
    ui.show_error(exc)
    st.stop()
if branch_id:
    st.query_params["branch"] = str(branch_id)
elif "branch" in st.query_params:
    del st.query_params["branch"]

title = (t("cmp.level.branch") if league.level == "branch"
         else t("cmp.level.project", branch=league.units[0].branch if league.units else ""))
st.subheader(title)
st.caption(t(kpi.formula_key))
if league.wave:
    st.caption(ui.plain_t("cmp.wave", wave=f"{league.wave['wave_code']} · {league.wave['wave_name']}"))
facts = [t("cmp.median", value=kpis.shown(kpi, kpis.Value(league.medians[focus])))]
if league.targets.get(focus) is not None:
    facts.append(t("cmp.target", value=fmt.pct(league.targets[focus], 0)))
st.markdown(" · ".join(facts), help=t("cmp.significance_help"))

rows, headers = comparison.table(league, focus)
frame = pd.DataFrame(rows)
if frame.empty:
    st.info(t("common.no_data"))
    st.stop()
shown = frame[list(headers)].rename(columns=headers)


TONES = {t("cmp.status.green"): "#2e7d32", t("cmp.status.amber"): "#ef6c00", t("cmp.status.red"): "#c62828",
         t("cmp.side.better"): "#2e7d32", t("cmp.side.worse"): "#c62828"}


def colour(value):
    tone = TONES.get(value)
    return f"color: {tone}; font-weight: 600" if tone else ""


coloured = [headers[k] for k in ("status", "median") if k in headers]
st.dataframe(shown.style.map(colour, subset=coloured).format(precision=1, na_rep="—"), hide_index=True,
             width="stretch", key="comparison.table")
ui.downloads("comparison.download", lambda: exports.build("comparison", db, actor, exports.Request(  # as shown
    period.first, period.last, {"focus": focus, "branch_id": branch_id or None, "league": league})),
    rows=len(frame), stem=f"comparison_{period.first}_{period.last}")

# the charts below are a pure function of these (the league is cached on the same key)
chart_key = repr((db.path, db.version, actor.role, actor.scope, lang, period, focus, branch_id))
axes = {"rate": t(kpi.name_key), "unit": t("cmp.axis.unit"), "low": t("cmp.axis.low"),
        "high": t("cmp.axis.high"), "households": t("cmp.axis.households"), "per100": t("kpi.received_per100"),
        "wave": t("dash.axis.wave")}
drill = None
left, right = st.columns(2)
if kpi.unit == "rate":
    with left:
        st.markdown(f"**{t('cmp.chart.caterpillar', kpi=t(kpi.name_key))}**")
        cat = []
        for u in league.units:
            v = u.values[focus]
            interval = comparison.stats.wilson(v.numerator or 0, v.denominator or 0)
            if interval:
                cat.append({"unit_id": u.unit_id, "name": u.name, "value": v.value, "low": interval[0],
                            "high": interval[1], "n": v.denominator, "side": u.vs_median[focus]})
        if cat:
            event = ui.vega(chart_spec_for(chart_key + 'cat', charts.caterpillar, pd.DataFrame(cat), league.medians[focus], league.targets.get(focus),
                                                 axes), on_select="rerun", selection_mode=[charts.PICK_UNIT],
                              key="comparison.chart.caterpillar", width="stretch")
            drill = (charts.picked(event, charts.PICK_UNIT) or {}).get("unit_id") or drill
        else:
            st.info(t("dash.chart.empty"))
with right:
    st.markdown(f"**{t('cmp.chart.scatter')}**")
    pts = [{"unit_id": u.unit_id, "name": u.name, "per100": u.values["received_per100"].value,
            "satisfaction": u.values["survey_satisfaction"].value, "households": u.households}
           for u in league.units
           if u.values["received_per100"].value is not None and u.values["survey_satisfaction"].value is not None]
    if pts:
        event = ui.vega(chart_spec_for(chart_key + 'scatter', charts.scatter, pd.DataFrame(pts), {**axes, "rate": t("kpi.survey_satisfaction")}),
                          on_select="rerun", selection_mode=[charts.PICK_UNIT], key="comparison.chart.scatter",
                          width="stretch")
        drill = (charts.picked(event, charts.PICK_UNIT) or {}).get("unit_id") or drill
        st.caption(t("cmp.chart.click"))
    else:
        st.info(t("dash.chart.empty"))

if drill and league.level == "branch" and drill != branch_id:
    st.session_state["comparison.branch"] = int(drill)
    st.query_params["branch"] = str(int(drill))
    st.rerun()



def survey_items(unit: Scope, unit_name: str) -> None:
    """The drilled unit's survey items in the compared wave, and the forms behind a picked item."""
    st.markdown(f"**{ui.plain_t('cmp.items', name=unit_name)}**")
    drilled = cached(reads.survey_items, db, actor, unit, league.wave["wave_id"] if league.wave else None)
    items = drilled["items"]
    if not any(i["rated"] for i in items):
        st.info(t("cmp.items.none"))
        return
    sides = {1: t("cmp.side.better"), -1: t("cmp.side.worse"), 0: t("cmp.side.same")}
    table = pd.DataFrame([{
        t("cmp.items.col.dimension"): i["dimension_name"] if lang == "zh" else i["dimension_name_en"],
        t("cmp.items.col.item"): i["text_zh"] if lang == "zh" else i["text_en"],
        t("cmp.col.n"): i["rated"], t("cmp.items.col.unsatisfied"): i["n1"], t("cmp.items.col.unrated"): i["n0"],
        t("kpi.survey_satisfaction") + " (%)": None if i["satisfaction"] is None else i["satisfaction"] * 100,
        t("cmp.col.ci"): "" if i["low"] is None else f"{i['low'] * 100:.1f} – {i['high'] * 100:.1f}",
        t("cmp.items.col.reference"): None if i["reference"] is None else i["reference"] * 100,
        t("cmp.items.col.vs_reference"): sides[i["vs_reference"]] if i["reference"] is not None and i["rated"] else "",
    } for i in items])
    st.caption(t("cmp.items.hint"))
    # no Styler here: its new id every rerun would give the table a new identity and drop the pick
    one_decimal = st.column_config.NumberColumn(format="%.1f")
    chosen = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                          column_config={t("kpi.survey_satisfaction") + " (%)": one_decimal,
                                         t("cmp.items.col.reference"): one_decimal},
                          key=f"comparison.items.{unit.kind}.{unit.id}")
    if not chosen.selection.rows:
        return
    item = items[chosen.selection.rows[0]]
    which = st.segmented_control(t("cmp.items.which"), ["unsatisfied", "all"], default="unsatisfied",
                                 required=True, format_func=lambda w: t(f"cmp.items.which.{w}"),
                                 key="comparison.items.which")
    forms = reads.survey_item_forms(db, actor, unit, drilled["wave_id"], item["item_key"], which == "unsatisfied")
    st.markdown(ui.plain_t("cmp.items.forms", item=item["text_zh"] if lang == "zh" else item["text_en"], n=len(forms),
                  limit=reads.ROWS_LIMIT))
    st.dataframe([{t("cmp.items.col.form"): f["form_no"] or f"#{f['id']}", t("cmp.col.name"): f["project"],
                   t("cmp.items.col.returned"): f["returned_on"].isoformat(),
                   t("cmp.items.col.rating"): f["rating_name"] if lang == "zh" else f["rating_name_en"],
                   t("cmp.items.col.score"): f["score"], t("cmp.items.col.source"): label(f["source"], "survey_source")}
                  for f in forms], hide_index=True, width="stretch", key="comparison.item_forms")


if league.level == "branch":
    st.markdown(f"**{t('cmp.chart.multiples')}**")
    multiples = cached(comparison.branch_waves, db, actor)
    if any(r["satisfaction"] is not None for r in multiples):
        ui.vega(chart_spec_for(chart_key + 'multiples', charts.small_multiples, multiples, {**axes, "rate": t("kpi.survey_satisfaction")}),
                  key="comparison.chart.multiples")
    else:
        st.info(t("dash.chart.empty"))
else:
    # ---- one project: complaints by category and the complaints themselves (no residents' data) --
    names = {u.unit_id: u.name for u in league.units}
    if drill in names:
        st.session_state["comparison.project"] = int(drill)
    if st.session_state.get("comparison.project") not in names:
        st.session_state["comparison.project"] = 0
    project_id = st.selectbox(t("cmp.project"), [0, *names], key="comparison.project",
                              format_func=lambda v: t("cmp.no_project") if not v else names[v])
    if project_id:
        scope = Scope("project", project_id)
        st.subheader(ui.plain_t("cmp.project_detail", name=names[project_id]))
        by_cat = kpis.breakdown(db, actor, period, "category", scope)
        if by_cat:
            ui.vega(chart_spec(charts.pareto, by_cat, lang, {"count": t("dash.axis.count"), "category": t("dash.axis.category"),
                                                   "cumulative": t("dash.axis.cumulative")}),
                      key="comparison.chart.pareto", width="stretch")
        st.markdown(f"**{t('cmp.rows')}**")
        rows = reads.complaints_behind(db, actor, period, scope)
        st.dataframe([{t("dash.col.code"): r["code"], t("dash.col.received"): fmt.dt(r["received_at"], actor.tz),
                       t("dash.col.category"): r["subcategory"] if lang == "zh" else r["subcategory_en"],
                       t("dash.col.status"): label(r["status"], "status"), t("dash.col.summary"): r["summary"]}
                      for r in rows], hide_index=True, width="stretch", key="comparison.rows")
        survey_items(scope, names[project_id])
    elif branch_id:
        survey_items(Scope("branch", branch_id), league.units[0].branch if league.units else "")
