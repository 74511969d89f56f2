"""Manager dashboard: the period's indicators against the previous period and a year earlier,
trends and distributions with click-through to the complaints behind a bar, and what needs
attention now. Supervisors see their project, managers their project or branch, head office all."""

from datetime import date, timedelta

import streamlit as st

from csm import exports, fmt
from csm.dashboards import kpis, periods, reads
from csm.i18n import label, t
from csm.org.scope import Scope, describe
from csm.web import ui
from csm.web.cache import cached, chart_spec, preload
from csm.web.periods import period_picker

preload("csm.dashboards.charts", "warm_up")  # Altair loads while the indicators are counted
user = ui.guard("dashboard")
db, actor = ui.acting(user)
lang = actor.lang
today = actor.today()

# ---- period and project -------------------------------------------------------------------------
c1, c2 = st.columns([3, 2])
period = period_picker("dashboard", today, container=c1)
scope = None
if actor.scope.kind != "project":
    options = cached(reads.projects, db, actor)
    names = {p["id"]: f"{p['name']}（{p['branch']}）" for p in options}
    project_id = c2.selectbox(t("dash.project"), [0, *names], key="dashboard.project",
                              format_func=lambda v: t("dash.all_projects", scope=describe(db, actor.scope))
                              if not v else names[v])
    scope = Scope("project", project_id) if project_id else None
st.caption(t("dash.period.shown", first=period.first.isoformat(), last=period.last.isoformat()))

figures = cached(reads.indicators, db, actor, period, scope)
current, before, year_ago = figures["current"], figures["previous"], figures["year_ago"]

COLOURS = {1: "green", -1: "red"}


def tile(col, key: str) -> None:
    k = kpis.BY_KEY[key]
    value = current[key]
    col.metric(t(k.name_key), kpis.shown(k, value), delta=kpis.change(k, before[key], value),
               delta_color={"higher": "normal", "lower": "inverse"}.get(k.direction, "off"),
               delta_description=t("dash.vs_previous"), help=t(k.formula_key), border=True)
    if value.value is None:
        col.caption(t("dash.undefined", reason=t(value.reason)))
        return
    if k.snapshot:
        col.caption(t("dash.snapshot"))
        return
    yoy = kpis.change(k, year_ago[key], value)
    text = t("dash.vs_year_ago", delta=yoy) if yoy else t("dash.no_compare")
    colour = COLOURS.get(kpis.better(k, year_ago[key].value, value.value))
    col.caption(f":{colour}[{text}]" if colour and yoy else text)


def tiles(title: str, keys: list[str]) -> None:
    st.markdown(f"##### {title}")
    for col, key in zip(st.columns(len(keys)), keys, strict=True):
        tile(col, key)


tiles(t("dash.group.complaints"), ["received", "received_per100", "valid", "on_time_rate", "overdue_open",
                                   "reopened"])
tiles(t("dash.group.times"), ["first_answer_p50", "first_answer_p90", "resolve_p50", "resolve_p90"])
tiles(t("dash.group.revisits_surveys"), ["revisit_rate", "revisit_on_time_rate", "revisit_satisfaction",
                                         "survey_return_rate", "survey_satisfaction"])
tiles(t("dash.group.actions"), ["actions_open", "actions_overdue", "actions_done"])
ui.downloads("dashboard.export", lambda: exports.build("dashboard", db, actor, exports.Request(
    period.first, period.last, {"scope": scope, "figures": figures})), rows=len(kpis.KPIS), stem=f"dashboard_{period.first}_{period.last}")

# ---- charts: one tab at a time (only the open tab's figures are read and drawn) -----------------
from csm.dashboards import charts  # noqa: E402 - after the tiles: preloaded meanwhile

st.subheader(t("dash.charts"))
tab_names = {k: t(f"dash.tab.{k}") for k in ("complaints", "trends", "revisits", "departments")}
tabs = dict(zip(tab_names, st.tabs(list(tab_names.values()), key="dashboard.tab", on_change="rerun"), strict=True))
axes = {name: t(f"dash.axis.{name}") for name in ("bucket", "count", "category", "rate", "target", "cumulative",
                                                   "band", "wave", "measure", "returned", "issued")}


@st.fragment
def complaints_tab(period: kpis.Period, scope: Scope | None) -> None:
    """The complaints tab: a click on a bar or a category reruns only this part (the rows behind
    it listed below the charts), not the indicators, the other tabs or the attention lists."""
    picked: tuple[str, kpis.Period, str | None, int] | None = None  # (what, period, category, complaints)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('dash.chart.per_bucket')}**")
        grain = st.segmented_control(t("dash.chart.grain"), ["week", "month"], default="month", required=True,
                                     format_func=lambda g: t(f"dash.grain.{g}"), key="dashboard.grain")
        per_bucket = cached(reads.complaints_per_bucket, db, actor, period, scope, grain)
        if per_bucket:
            event = ui.vega(chart_spec(charts.complaints_stacked, per_bucket, lang, axes), on_select="rerun",
                              selection_mode=[charts.PICK_BAR], key="dashboard.chart.bucket", width="stretch")
            point = charts.picked(event, charts.PICK_BAR)
            if point:
                start = date.fromisoformat(str(point["bucket"])[:10])
                end = (start + timedelta(days=6) if grain == "week"
                       else periods.period_of("this_month", start).last)
                span = kpis.Period(max(start, period.first), min(end, period.last))
                cat_name = next((r["name"] if lang == "zh" else r["name_en"] for r in per_bucket
                                 if r["category"] == point.get("category")), "")
                total = sum(r["n"] for r in per_bucket if r["category"] == point.get("category")
                            and str(r["bucket"])[:10] == str(point["bucket"])[:10])
                picked = (f"{span.first.isoformat()} – {span.last.isoformat()} · {cat_name}", span,
                          point.get("category"), total)
            st.caption(t("dash.click_hint"))
        else:
            st.info(t("dash.chart.empty"))
    with right:
        st.markdown(f"**{t('dash.chart.pareto')}**")
        by_category = cached(kpis.breakdown, db, actor, period, "category", scope)
        if by_category:
            event = ui.vega(chart_spec(charts.pareto, by_category, lang, axes), on_select="rerun",
                              selection_mode=[charts.PICK_CATEGORY], key="dashboard.chart.pareto", width="stretch")
            point = charts.picked(event, charts.PICK_CATEGORY)
            if point and not picked:
                name = next((r["name"] if lang == "zh" else r["name_en"] for r in by_category
                             if r["value"] == point.get("category")), "")
                picked = (name, period, point.get("category"),
                      sum(r["n"] for r in by_category if r["value"] == point.get("category")))
        else:
            st.info(t("dash.chart.empty"))

    if picked:
        what, span, category, total = picked
        rows = cached(reads.complaints_behind, db, actor, span, scope, category)  # clicked again: no read
        # the bar's own count (the list stops at ROWS_LIMIT)
        st.markdown(ui.plain_t("dash.behind", what=what, n=max(total, len(rows)), limit=reads.ROWS_LIMIT))
        table = [{t("dash.col.code"): r["code"], t("dash.col.received"): fmt.dt(r["received_at"], actor.tz),
                  t("dash.col.project"): r["project"],
                  t("dash.col.category"): r["subcategory"] if lang == "zh" else r["subcategory_en"],
                  t("dash.col.status"): label(r["status"], "status"), t("dash.col.summary"): r["summary"]}
                 for r in rows]
        chosen = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                              selection_mode="single-row", key="dashboard.behind")
        if chosen.selection.rows and st.button(t("dash.open_in_desk"), key="dashboard.open_behind"):
            st.session_state["complaints.open_id"] = int(rows[chosen.selection.rows[0]]["id"])
            st.switch_page("pages/complaints.py")


if tabs["complaints"].open:
    with tabs["complaints"]:
        complaints_tab(period, scope)


# the trends reach back eleven months before the period's last month
trend_period = periods.period_of("custom", today, period.last.replace(day=1) - timedelta(days=330), period.last)
if tabs["trends"].open:
    with tabs["trends"]:
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('dash.chart.on_time')}**")
            trend = cached(reads.on_time_per_month, db, actor, trend_period, scope)
            if any(r["rate"] is not None for r in trend):
                ui.vega(chart_spec(charts.rate_trend, trend, "rate", kpis.target(db, kpis.BY_KEY["on_time_rate"]),
                                   axes), width="stretch", key="dashboard.chart.on_time")
            else:
                st.info(t("dash.chart.empty"))
        with right:
            st.markdown(f"**{t('dash.chart.hours')}**")
            bands = cached(reads.resolve_hours, db, actor, period, scope)
            if bands:
                ui.vega(chart_spec(charts.hours_bands, bands,
                                   {b: t(f"dash.band.{b}") for b in (0, 24, 48, 72, 168, 336)}, axes),
                        width="stretch", key="dashboard.chart.hours")
            else:
                st.info(t("dash.chart.empty"))

if tabs["revisits"].open:
    with tabs["revisits"]:
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('dash.chart.revisits')}**")
            rev = cached(reads.revisits_per_month, db, actor, trend_period, scope)
            if rev:
                ui.vega(chart_spec(charts.two_rates, rev, {"revisit_rate": t("kpi.revisit_rate"),
                                                           "satisfaction": t("kpi.revisit_satisfaction")}, axes),
                        width="stretch", key="dashboard.chart.revisits")
            else:
                st.info(t("dash.chart.empty"))
        with right:
            st.markdown(f"**{t('dash.chart.waves')}**")
            waves = cached(reads.survey_waves, db, actor, scope)
            if any(w["satisfaction"] is not None for w in waves):
                ui.vega(chart_spec(charts.survey_waves, waves, kpis.target(db, kpis.BY_KEY["survey_satisfaction"]),
                                   axes), width="stretch", key="dashboard.chart.waves")
            else:
                st.info(t("dash.chart.empty"))

if tabs["departments"].open:  # hours to close per department (issue 11): the period's closings
    with tabs["departments"]:
        table = exports.build("close_hours", db, actor, exports.Request(period.first, period.last, {"scope": scope}))
        st.markdown(f"**{t('close_hours.title')}**")
        st.caption(t("close_hours.help"))
        if table.frame.empty:
            st.info(t("dash.chart.empty"))
        else:
            left, right = st.columns(2)
            shown = table.frame.assign(close_p50=table.frame["close_p50"].map(lambda v: fmt.num(v, 1)),
                                       close_p90=table.frame["close_p90"].map(lambda v: fmt.num(v, 1)))
            left.dataframe(shown.rename(columns=table.headers), hide_index=True, width="stretch",
                           key="dashboard.close_hours")
            with right:
                ui.vega(chart_spec(charts.close_hours, table.frame, {
                    "department": table.headers["department"], "closed": table.headers["closed"],
                    "p50": table.headers["close_p50"], "p90": table.headers["close_p90"]}),
                    width="stretch", key="dashboard.chart.close_hours")
            ui.downloads("dashboard.close_hours", lambda: table, rows=len(table),
                         stem=f"close_hours_{period.first}_{period.last}")

# ---- needs attention --------------------------------------------------------------------------
st.subheader(t("dash.attention"))
items = cached(reads.attention, db, actor, scope)
if not items:
    st.success(t("dash.attention.none"))
for kind_ in reads.ATTENTION_KINDS:
    rows = [i for i in items if i["kind"] == kind_]
    if not rows:
        continue
    # one table per kind (a row of widgets per item cost a quarter of a second per rerun)
    with st.expander(f"{t(f'dash.attention.{kind_}')}（{rows[0]['n_kind']}）", expanded=kind_ == "overdue"):
        picked_row = st.dataframe(
            [{t("dash.col.code"): r["code"], t("dash.col.project"): r["project"],
              t("dash.col.due"): fmt.dt(r["due_at"], actor.tz), t("dash.col.summary"): r["summary"] or ""}
             for r in rows], hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
            key=f"dashboard.att.{kind_}")
        if rows[0]["n_kind"] > len(rows):
            st.caption(t("dash.attention.more", n=rows[0]["n_kind"] - len(rows)))
        if picked_row.selection.rows and st.button(t("dash.col.open"), key=f"dashboard.att.open.{kind_}"):
            chosen_item = rows[picked_row.selection.rows[0]]
            if kind_ == "action_overdue":
                st.session_state["survey_actions.pick"] = int(chosen_item["ref_id"])
                st.switch_page("pages/survey_actions.py")
            st.session_state["complaints.open_id"] = int(chosen_item["ref_id"])
            st.switch_page("pages/complaints.py")
