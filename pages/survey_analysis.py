"""Survey analysis (调查统计分析): return rates, satisfaction at every level, Pareto, heat map, trend,
forms under 70 points; each figure with its definition and the forms behind it."""

import pandas as pd
import streamlit as st

from csm import exports, fmt, surveys
from csm.i18n import current_lang, label, labels, t
from csm.surveys import charts as survey_charts
from csm.surveys import reads
from csm.web import ui
from csm.web.cache import cached, chart_spec

HEATMAP_PROJECTS = 40
LIST_LIMIT = 200
PROJECT_KEY = "survey_analysis.highlight_project"
ITEM_KEY = "survey_analysis.highlight_item"

user = ui.guard("survey_analysis")
db, actor = ui.acting(user)
lang = current_lang()
en = lang == "en"

waves = cached(reads.waves, db, actor, with_drafts=False)
if waves.empty:
    st.info(t("survey.analysis.no_wave"))
    st.stop()
by_id = waves.set_index("id")
wave_id = st.selectbox(t("field.survey_wave"), waves["id"].tolist(), key="survey_analysis.wave",
                       placeholder=t("common.choose"),
                       format_func=lambda i: f"{by_id.loc[i, 'code']} · {by_id.loc[i, 'name']} · "
                       f"{label(by_id.loc[i, 'status'], 'survey_status')}")
targets = cached(reads.targets, db, actor)
target, threshold = targets["return_rate"], targets["score"]
st.session_state.setdefault(PROJECT_KEY, None)
st.session_state.setdefault(ITEM_KEY, None)
hl_project = st.session_state[PROJECT_KEY]
hl_item = st.session_state[ITEM_KEY]

# ---- headline figures ----------------------------------------------------------------------------
s = cached(reads.summary, db, actor, wave_id)
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric(t("survey.return_rate"), fmt.pct(s["return_rate"]),
          help=t("survey.def.return_rate", target=fmt.pct(target, 0)))
k2.metric(t("survey.projects_below"), fmt.num(s["projects_below_target"]),
          help=t("survey.def.projects_below", target=fmt.pct(target, 0)))
k3.metric(t("survey.satisfaction_rate"), fmt.pct(s["satisfaction_rate"]), help=t("survey.def.satisfaction"))
k4.metric(t("survey.mean_score"), fmt.num(s["mean_score"], 1), help=t("survey.def.score"))
k5.metric(t("survey.low_scores"), fmt.num(s["low_scores"]), help=t("survey.def.low_scores", n=fmt.num(threshold)))
st.caption(t("survey.analysis.counts", returned=fmt.num(s["returned"]), issued=fmt.num(s["forms_issued"]),
             qualified=fmt.num(s["n_qualified"]), unsatisfied=fmt.num(s["n_unsatisfied"]),
             unrated=fmt.num(s["n_unrated"])))

items = cached(reads.items, db, actor, int(by_id.loc[wave_id, "questionnaire_id"]))
item_names = {i["item_key"]: f"{i['sort']:02d} {surveys.item_text(i, lang)}" for i in items}
rates = cached(reads.wave_projects, db, actor, wave_id)
project_names = dict(zip(rates["project_code"], rates["project"], strict=False)) if not rates.empty else {}
if hl_project or hl_item:
    h1, h2 = st.columns([4, 1])
    h1.info(ui.plain_t("survey.analysis.highlighting", project=project_names.get(hl_project, hl_project or t("common.none")),
              item=item_names.get(hl_item, hl_item or t("common.none"))))
    if h2.button(t("survey.analysis.clear"), key="survey_analysis.clear"):
        st.session_state[PROJECT_KEY] = None
        st.session_state[ITEM_KEY] = None
        st.rerun()

# ---- one view at a time: the highlighted project and item carry over to every view ---------------
pareto_project = None
if hl_project and not rates.empty and hl_project in set(rates["project_code"]):
    pareto_project = int(rates.set_index("project_code").loc[hl_project, "project_id"])
VIEWS = {"overview": t("survey.analysis.view.overview"), "pareto": t("survey.analysis.view.pareto"),
         "trend": t("survey.analysis.trend"), "forms": t("survey.analysis.view.forms")}
view = st.segmented_control(t("survey.analysis.view"), list(VIEWS), default="overview", format_func=VIEWS.get,
                            key="survey_analysis.view") or "overview"


FORM_HEADERS = {"id": "#", "branch": t("field.branch"), "project": t("field.project"),
                "unit_text": t("field.unit"), "form_no": t("field.survey_form_no"),
                "source": t("survey.source"), "returned_on": t("field.survey_returned_on"),
                "n_unsatisfied": t("survey.n_unsatisfied"), "score": t("survey.score"),
                "revisit_task_id": t("survey.revisit_task"), "revisit_status": t("survey.revisit_status")}


def form_table(frame, key):
    shown = frame.assign(source=labels(frame["source"], "survey_source"),
                         score=frame["score"].map(lambda v: fmt.num(v, 1)),
                         revisit_status=frame["revisit_status"].map(
                             lambda v: label(v, "survey_revisit") if isinstance(v, str) else None))
    st.dataframe(fmt.blank_missing(shown[list(FORM_HEADERS)]).rename(columns=FORM_HEADERS),
                 hide_index=True, width="stretch", key=key, column_config={
                     FORM_HEADERS["returned_on"]: st.column_config.DateColumn(format="YYYY-MM-DD")})


def forms_behind_bar(what: str, project_id: int | None, item_key: str | None, key: str):
    """Below a chart: the forms behind the bar clicked on it."""
    behind = cached(reads.forms_behind, db, actor, wave_id, project_id, item_key, LIST_LIMIT)
    st.caption(ui.plain_t("survey.analysis.behind_bar", what=what, n=len(behind)))
    if behind.empty:
        st.info(t("common.no_data"))
    else:
        form_table(behind, key)


def view_overview():
    # ---- return rate per project -------------------------------------------------------------------
    st.subheader(t("survey.analysis.return_rates"))
    st.caption(t("survey.def.return_rate", target=fmt.pct(target, 0)))
    if not rates.empty:
        shown_rates = rates.head(HEATMAP_PROJECTS * 3)
        event = ui.vega(  # the spec built once per input (cache.chart_spec): ~100 ms of Altair a rerun
            chart_spec(survey_charts.return_rate_chart, shown_rates, target, t("survey.return_rate"),
                       t("field.project"), hl_project),
            on_select="rerun", key="survey_analysis.rates_chart", width="stretch")
        clicked = survey_charts.picked(event, survey_charts.SELECT_PROJECT, "project_code")
        if clicked and clicked != hl_project:
            st.session_state[PROJECT_KEY] = clicked
            st.rerun()
        if pareto_project is not None:
            forms_behind_bar(project_names[hl_project], pareto_project, None, "survey_analysis.rates_forms")
        else:
            st.caption(t("survey.analysis.pick_bar"))
        below = rates[rates["below_target"]]
        if not below.empty:
            st.warning(ui.plain_t("survey.analysis.below_list", target=fmt.pct(target, 0),
                         projects="、".join(f"{r.project}（{fmt.pct(r.return_rate)}）" for r in below.itertuples())))


    @st.fragment
    def levels():
        """Satisfaction at one level: switching the level reruns only this part."""
        # ---- satisfaction at each level ---------------------------------------------------------------
        st.subheader(t("survey.analysis.levels"))
        st.caption(t("survey.def.satisfaction"))
        level_names = {"branch": t("field.branch"), "project": t("field.project"), "dimension": t("survey.dimension"),
                       "item": t("survey.item")}
        level = st.segmented_control(t("survey.analysis.level"), list(level_names), default="item",
                                     format_func=level_names.get, key="survey_analysis.level") or "item"
        table = cached(reads.satisfaction, db, actor, wave_id, level)
        stat_headers = {"name": level_names[level], "forms": t("survey.forms"),
                        "n_very_satisfied": label(4, "survey_rating"), "n_satisfied": label(3, "survey_rating"),
                        "n_fairly_satisfied": label(2, "survey_rating"), "n_unsatisfied": label(1, "survey_rating"),
                        "n_unrated": t("survey.unrated"), "satisfaction_rate": t("survey.satisfaction_rate")}
        if level == "item":
            stat_headers = {"dimension_name": t("survey.dimension"), **stat_headers}
        if level == "project":
            stat_headers = {"branch": t("field.branch"), **stat_headers}
        if table.empty:
            st.info(t("common.no_data"))
        else:
            shown = surveys.statistics_table(table)
            if level == "project" and hl_project:
                shown = shown.sort_values("key", key=lambda s: s != hl_project, kind="stable")
            if level == "item" and hl_item:
                shown = shown.sort_values("key", key=lambda s: s != hl_item, kind="stable")
            if en:  # names per language (branch and project names are kept in one language)
                shown = shown.assign(name=shown["name_en"].where(shown["name_en"].notna(), shown["name"]),
                                     dimension_name=shown["dimension_name_en"].where(
                                         shown["dimension_name_en"].notna(), shown["dimension_name"]))
            shown = fmt.blank_missing(shown)
            st.dataframe(shown[list(stat_headers)].rename(columns=stat_headers), hide_index=True, width="stretch",
                         key="survey_analysis.levels_table")
            ui.downloads("survey_analysis.export", lambda: exports.build("survey_statistics", db, actor, exports.Request(
                options={"wave_id": wave_id, "level": level, "first": {"project": hl_project, "item": hl_item}.get(level)})),
                rows=len(shown), stem=f"survey_statistics_{by_id.loc[wave_id, 'code']}_{level}")

    levels()


def view_pareto():
    # ---- Pareto of unsatisfied items -------------------------------------------------------------------
    st.subheader(t("survey.analysis.pareto"))
    st.caption(t("survey.def.pareto"))
    pareto = cached(reads.pareto, db, actor, wave_id, pareto_project)
    if pareto.empty:
        st.info(t("survey.analysis.no_unsatisfied"))
    else:
        event = ui.vega(
            chart_spec(survey_charts.pareto_chart, pareto, t("survey.n_unsatisfied"), t("survey.cumulative"),
                       hl_item, lang),
            on_select="rerun", key="survey_analysis.pareto_chart", width="stretch")
        clicked = survey_charts.picked(event, survey_charts.SELECT_ITEM, "item_key")
        if clicked and clicked != hl_item:
            st.session_state[ITEM_KEY] = clicked
            st.rerun()
        vital = pareto[pareto["cumulative_share"].shift(fill_value=0) < 0.8]
        st.caption(ui.plain_t("survey.analysis.vital_few", n=len(vital),
                     items="、".join(item_names.get(k, k) for k in vital["item_key"])))
        if hl_item:
            forms_behind_bar(item_names.get(hl_item, hl_item), pareto_project, hl_item, "survey_analysis.pareto_forms")
        else:
            st.caption(t("survey.analysis.pick_bar"))


    @st.fragment
    def heatmap():
        """The heat map: picking a branch reruns only this part."""
        # ---- item x project heat map ---------------------------------------------------------------------
        st.subheader(t("survey.analysis.heatmap"))
        st.caption(t("survey.def.heatmap"))
        branches = rates[["branch_id", "branch"]].drop_duplicates() if not rates.empty else rates
        branch_id = None
        if len(branches) > 1:
            bmap = dict(zip(branches["branch_id"], branches["branch"], strict=False))
            branch_id = st.selectbox(t("field.branch"), [None, *bmap], key="survey_analysis.branch",
                                     placeholder=t("common.choose"),
                                     format_func=lambda b: t("survey.analysis.all_branches") if b is None else bmap[b])
        matrix = cached(reads.item_project_matrix, db, actor, wave_id, branch_id, HEATMAP_PROJECTS)
        if not matrix.empty:
            in_view = rates if branch_id is None or rates.empty else rates[rates["branch_id"] == branch_id]
            if len(in_view) > HEATMAP_PROJECTS:
                st.caption(t("survey.analysis.heatmap_limited", n=HEATMAP_PROJECTS))
            ui.vega(chart_spec(survey_charts.heatmap_chart, matrix, t("survey.satisfaction_rate"), hl_project,
                               hl_item, lang),
                            key="survey_analysis.heatmap", width="stretch")

    heatmap()


@st.fragment  # choosing projects or an item reruns only the trend
def view_trend():
    # ---- trend across waves ----------------------------------------------------------------------------
    st.subheader(t("survey.analysis.trend"))
    st.caption(t("survey.def.trend"))
    choices = rates[["project_id", "project", "project_code"]] if not rates.empty else rates
    default = []
    if hl_project and not choices.empty and hl_project in set(choices["project_code"]):
        default = [int(choices.set_index("project_code").loc[hl_project, "project_id"])]
    elif not choices.empty:
        default = choices["project_id"].head(3).astype(int).tolist()
    names = dict(zip(choices["project_id"].astype(int), choices["project"], strict=False)) if not choices.empty else {}
    c1, c2 = st.columns([3, 2])
    chosen = c1.multiselect(t("survey.analysis.trend_projects"), list(names), default=default,
                            format_func=names.get, key="survey_analysis.trend_projects", max_selections=10,
                            placeholder=t("common.choose"))
    item_choice = c2.selectbox(t("survey.item"), [None, *item_names], key="survey_analysis.trend_item",
                               placeholder=t("common.choose"),
                               index=([None, *item_names].index(hl_item) if hl_item in item_names else 0),
                               format_func=lambda k: t("survey.analysis.all_items") if k is None else item_names[k])
    trend = cached(reads.trend, db, actor, "project", chosen or None, item_choice)
    overall = cached(reads.trend, db, actor, "all", None, item_choice)
    overall["grp"] = t("survey.analysis.overall")
    if chosen:
        trend = trend[trend["grp"].isin([names[p] for p in chosen])]
    lines = pd.concat([trend, overall], ignore_index=True) if not trend.empty else overall
    if lines.empty:
        st.info(t("common.no_data"))
    else:
        hl_name = names.get(default[0]) if hl_project and default else None
        ui.vega(chart_spec(survey_charts.trend_chart, lines, t("survey.satisfaction_rate"), t("field.survey_wave"),
                           hl_name),
                        key="survey_analysis.trend_chart", width="stretch")


@st.fragment  # opening another form reruns only the lists and the form
def view_forms():
    # ---- forms under the threshold and the forms behind the chosen figure ----------------------------
    st.subheader(t("survey.analysis.low_scores", n=fmt.num(threshold)))
    st.caption(t("survey.def.low_scores", n=fmt.num(threshold)))
    low = cached(reads.low_scores, db, actor, wave_id, LIST_LIMIT)
    if low.empty:
        st.info(t("common.no_data"))
    else:
        form_table(low, "survey_analysis.low_table")

    st.subheader(t("survey.analysis.drill"))
    drill_project = pareto_project
    behind = cached(reads.forms_behind, db, actor, wave_id, drill_project, hl_item, LIST_LIMIT)
    st.caption(ui.plain_t("survey.analysis.drill_help",
                 project=project_names.get(hl_project) or t("survey.analysis.all_projects"),
                 item=item_names.get(hl_item, t("survey.analysis.all_items")), n=len(behind)))
    if behind.empty:
        st.info(t("common.no_data"))
    else:
        form_table(behind, "survey_analysis.drill_table")
        ui.downloads("survey_analysis.forms_export", lambda: exports.build("survey_forms", db, actor, exports.Request(
            options={"wave_id": wave_id, "project_id": drill_project, "item_key": hl_item})),
            rows=len(behind) if len(behind) < LIST_LIMIT else None, choice=(wave_id, drill_project, hl_item),
            stem=f"survey_forms_{by_id.loc[wave_id, 'code']}")
        form_id = st.selectbox(t("survey.analysis.open_form"), behind["id"].tolist(), key="survey_analysis.form",
                           placeholder=t("common.choose"))
        form = reads.form(db, actor, int(form_id))
        answers = form["answers"]
        if form is not None:
            st.caption(ui.plain_t("survey.analysis.form_head", project=form["project"], unit=form["unit_text"] or "—",
                         score=fmt.num(form["score"], 1), comments=form["comments"] or "—"))
        st.dataframe(answers.assign(rating=answers["rating"].map(
            lambda r: t("survey.unrated") if pd.isna(r) else label(int(r), "survey_rating")),
            text=[surveys.item_text(a, lang) for a in answers.to_dict("records")])[
            ["sort", "text", "rating"]].rename(columns={"sort": "#", "text": t("survey.item"),
                                                        "rating": t("survey.rating")}),
            hide_index=True, width="stretch", key="survey_analysis.form_answers")


{"overview": view_overview, "pareto": view_pareto, "trend": view_trend, "forms": view_forms}[view]()
