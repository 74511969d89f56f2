"""Corrective actions (整改): from unsatisfied items or weak dimensions, with owner, deadline, result;
overdue ones flagged; the next wave shows whether the item improved."""

from datetime import timedelta

import streamlit as st

from csm import dates, exports, fmt, limits, surveys
from csm.errors import UserError
from csm.i18n import label, t
from csm.surveys import commands, reads
from csm.web import ui
from csm.web.cache import cached

user = ui.guard("survey_actions")
db, actor = ui.acting(user)
today = actor.today()

counts = cached(reads.action_counts, db, actor)
c1, c2, c3 = st.columns(3)
c1.metric(t("survey.actions.open"), fmt.num(counts["open"]))
c2.metric(t("survey.actions.overdue"), fmt.num(counts["overdue"]), help=t("survey.def.action_overdue"))
c3.metric(t("survey.actions.done"), fmt.num(counts["done"]))

waves = cached(reads.waves, db, actor, with_drafts=False)
wave_names = {int(r.id): f"{r.code} · {r.name}" for r in waves.itertuples()}
f1, f2 = st.columns(2)
wave_filter = f1.selectbox(t("field.survey_wave"), [None, *wave_names], placeholder=t("common.choose"), key="survey_actions.wave_filter",
                           format_func=lambda w: t("survey.actions.all_waves") if w is None else wave_names[w])
status_filter = f2.selectbox(t("field.survey_action_status"), [None, *surveys.ACTION_STATUSES],
                             placeholder=t("common.choose"), key="survey_actions.status_filter",
                             format_func=lambda v: t("survey.actions.all_statuses") if v is None
                             else label(v, "survey_action_status"))
acts = cached(reads.actions, db, actor, wave_filter, status_filter)
headers = {"id": "#", "wave_code": t("field.survey_wave"), "project": t("field.project"),
           "subject": t("field.survey_subject"), "problem": t("field.survey_action_problem"),
           "measure": t("field.survey_action_measure"), "owner": t("field.survey_action_owner"),
           "deadline": t("field.survey_action_deadline"), "status": t("field.survey_action_status"),
           "result": t("field.survey_action_result"), "rate_before": t("survey.actions.rate_before"),
           "rate_after": t("survey.actions.rate_after")}
if acts.empty:
    st.info(t("survey.actions.none"))
else:
    status_names = {s: label(s, "survey_action_status") for s in surveys.ACTION_STATUSES}
    overdue_text = t("survey.actions.overdue")
    shown = acts.assign(status=acts["status"].map(status_names).where(~acts["overdue"].astype(bool), overdue_text),
                        rate_before=acts["rate_before"].map(fmt.pct), rate_after=acts["rate_after"].map(fmt.pct))
    if len(acts) > ui.TABLE_ROWS:
        st.caption(t("common.showing_first", n=ui.TABLE_ROWS))
    page = shown.head(ui.TABLE_ROWS)
    ui.overdue_table(page[list(headers)].rename(columns=headers), acts["overdue"].head(ui.TABLE_ROWS),
                     label=overdue_text, hide_index=True, width="stretch", key="survey_actions.table")
    st.caption(t("survey.def.action_effect"))
    ui.downloads("survey_actions.export", lambda: exports.build("survey_actions", db, actor, exports.Request(
        options={"wave_id": wave_filter, "status": status_filter})), rows=len(acts))

    st.subheader(t("survey.actions.update"))
    by_id = acts.set_index("id")
    # the choice offers the rows listed above (not thousands: each option is sent on every rerun),
    # and the action picked elsewhere (the home inbox) when it is further down
    offered = page["id"].tolist()
    wanted = st.session_state.get("survey_actions.pick")
    if wanted is not None and wanted not in offered and wanted in by_id.index:
        offered.append(wanted)
    listed = by_id.loc[offered]
    pick_labels = {i: f"#{i} · {p} · {s}" for i, p, s in zip(offered, listed["project"], listed["subject"],
                                                              strict=True)}
    action_id = st.selectbox(t("survey.actions.pick"), offered, placeholder=t("common.choose"), key="survey_actions.pick",
                             format_func=pick_labels.get)
    a = by_id.loc[action_id]
    with st.form("survey_actions.update_form"):
        u1, u2, u3 = st.columns(3)
        owner = u1.text_input(t("field.survey_action_owner"), value=a["owner"], key=f"survey_actions.owner.{action_id}",
                           max_chars=max(limits.TITLE, len(a["owner"] or "")))
        deadline = u2.text_input(t("field.survey_action_deadline"), value=dates.as_text(a["deadline"]),
                                 key=f"survey_actions.deadline.{action_id}", placeholder=t("date.placeholder"))
        status = u3.selectbox(t("field.survey_action_status"), surveys.ACTION_STATUSES,
                              index=surveys.ACTION_STATUSES.index(a["status"]),
                              format_func=lambda v: label(v, "survey_action_status"),
                              placeholder=t("common.choose"), key=f"survey_actions.status.{action_id}")
        measure = st.text_area(t("field.survey_action_measure"), value=a["measure"],
                               key=f"survey_actions.measure.{action_id}",
                               max_chars=max(limits.TEXT, len(a["measure"] or "")))
        result = st.text_area(t("field.survey_action_result"), value=a["result"] or "",
                              key=f"survey_actions.result.{action_id}",
                              max_chars=max(limits.TEXT, len(a["result"] or "")))
        if st.form_submit_button(t("common.save"), type="primary"):
            try:
                deadline = dates.planned_date(deadline, "survey_action_deadline", today, dates.years_allowed(db))
                commands.update_action(db, actor, int(action_id), int(a["version"]), measure=measure,
                                       owner=owner, deadline=deadline, result=result, status=status)
                st.session_state["survey_actions.flash"] = t("common.saved")
                st.rerun()
            except UserError as exc:
                ui.show_error(exc)

flash = st.session_state.pop("survey_actions.flash", None)
if flash:
    st.success(flash)

# ---- a new action ----------------------------------------------------------------------------------
st.subheader(t("survey.actions.new"))
if not wave_names:
    st.info(t("survey.analysis.no_wave"))
    st.stop()
n1, n2 = st.columns(2)
wave_id = n1.selectbox(t("field.survey_wave"), list(wave_names), placeholder=t("common.choose"), key="survey_actions.new_wave",
                       format_func=wave_names.get)
in_wave = cached(reads.wave_projects, db, actor, wave_id, workable=True)
projects = {int(r.project_id): r.project for r in in_wave.itertuples()}
project_id = n2.selectbox(t("field.project"), list(projects), placeholder=t("common.choose"), key=f"survey_actions.new_project.{wave_id}",
                          format_func=projects.get)
# weakest items of that project first, so the choice starts from what residents were unhappy with
weak = cached(reads.satisfaction, db, actor, wave_id, "item", project_id=project_id) if project_id else None
dims = cached(reads.dimensions, db, actor)
subjects: dict[str, str] = {}
if weak is not None and not weak.empty:
    for r in weak.sort_values("satisfaction_rate", na_position="last").itertuples():
        subjects[f"item:{r.key}"] = f"{r.name}（{fmt.pct(r.satisfaction_rate)}，{t('survey.n_unsatisfied')} {r.n_unsatisfied}）"
for d in dims.itertuples():
    subjects[f"dimension:{d.code}"] = t("survey.actions.whole_dimension", name=d.name)
with st.form("survey_actions.new_form"):
    subject = st.selectbox(t("field.survey_subject"), list(subjects), format_func=subjects.get,
                           placeholder=t("common.choose"), key=f"survey_actions.new_subject.{wave_id}.{project_id}")
    problem = st.text_area(t("field.survey_action_problem"), key="survey_actions.new_problem", max_chars=limits.TEXT)
    measure = st.text_area(t("field.survey_action_measure"), key="survey_actions.new_measure", max_chars=limits.TEXT)
    o1, o2 = st.columns(2)
    owner = o1.text_input(t("field.survey_action_owner"), key="survey_actions.new_owner", max_chars=limits.TITLE)
    deadline = o2.text_input(t("field.survey_action_deadline"), value=(today + timedelta(days=30)).isoformat(),
                             key="survey_actions.new_deadline", placeholder=t("date.placeholder"))
    if st.form_submit_button(t("survey.actions.create"), type="primary"):
        kind, _, code = (subject or "").partition(":")
        try:
            deadline = dates.planned_date(deadline, "survey_action_deadline", today, dates.years_allowed(db))
            commands.create_action(db, actor, surveys.ActionInput(
                wave_id=wave_id, project_id=project_id, problem=problem, measure=measure, owner=owner,
                deadline=deadline, item_key=code if kind == "item" else None,
                dimension=code if kind == "dimension" else None))
            st.session_state["survey_actions.flash"] = t("survey.actions.created")
            for k in ("problem", "measure", "owner"):
                st.session_state.pop(f"survey_actions.new_{k}", None)
            st.rerun()
        except UserError as exc:
            ui.show_error(exc)
