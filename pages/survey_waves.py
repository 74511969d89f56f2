"""Survey waves (调查活动): plan, approve (seed 002 4.1.2.2), forms issued per project, tokens, close."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from csm import dates, excel, exports, fmt, limits, surveys
from csm.errors import UserError
from csm.i18n import label, labels, t
from csm.surveys import commands, qr, reads
from csm.web import ui
from csm.web.cache import cached, live

user = ui.guard("survey_waves")
db, actor = ui.acting(user)
today = actor.today()
target = cached(reads.targets, db, actor)["return_rate"]

waves = cached(reads.waves, db, actor)
st.caption(t("survey.waves.intro"))

# ---- the list ------------------------------------------------------------------------------
if waves.empty:
    st.info(t("survey.waves.none"))
else:
    headers = {"code": t("field.survey_wave_code"), "name": t("field.survey_wave_name"),
               "level": t("field.survey_level"), "status": t("field.survey_status"),
               "starts_on": t("field.survey_starts_on"), "ends_on": t("field.survey_ends_on"),
               "projects": t("survey.projects"), "forms_issued": t("field.survey_forms_issued"),
               "returned": t("survey.returned"), "return_rate": t("survey.return_rate"),
               "created_by": t("survey.created_by"), "approved_by": t("survey.approved_by")}
    shown = waves.assign(level=labels(waves["level"], "survey_level"),
                         status=labels(waves["status"], "survey_status"),
                         return_rate=waves["return_rate"].map(fmt.pct))
    st.dataframe(fmt.blank_missing(shown[list(headers)]).rename(columns=headers), hide_index=True, width="stretch",
                 key="survey_waves.table",
                 column_config={headers[c]: st.column_config.DateColumn(format="YYYY-MM-DD")
                                for c in ("starts_on", "ends_on")})
    ui.downloads("survey_waves.export", lambda: exports.build("survey_waves", db, actor), rows=len(waves))

# ---- one wave ------------------------------------------------------------------------------
if not waves.empty:
    by_id = waves.set_index("id")
    wave_id = st.selectbox(t("field.survey_wave"), waves["id"].tolist(), placeholder=t("common.choose"), key="survey_waves.pick",
                           format_func=lambda i: f"{by_id.loc[i, 'code']} · {by_id.loc[i, 'name']} · "
                           f"{label(by_id.loc[i, 'status'], 'survey_status')}")
    wave = waves[waves["id"] == wave_id].iloc[0].to_dict()
    c1, c2, c3 = st.columns(3)
    c1.markdown(f"**{t('field.survey_purpose')}**  \n{ui.plain(wave['purpose'])}")  # typed: plain text
    c2.markdown(f"**{t('field.survey_target')}**  \n{ui.plain(wave['target'] or t('common.none'))}")
    c3.markdown(f"**{t('field.survey_staff')}**  \n{ui.plain(wave['staff'] or t('common.none'))}")
    st.caption(ui.plain_t("survey.waves.detail", questionnaire=wave["questionnaire"], version=wave["questionnaire_version"],
                 created_by=wave["created_by"], approved_by=wave["approved_by"] or t("common.none"),
                 closed_by=wave["closed_by"] or t("common.none")))
    if wave["status"] == "closed":
        st.info(t("survey.waves.closed_note"))

    projects = cached(reads.wave_projects, db, actor, wave_id)
    if not projects.empty:
        st.dataframe(projects.assign(return_rate=projects["return_rate"].map(fmt.pct),
                                     below_target=projects["below_target"].map(
                                         lambda b: t("survey.below_target") if b else ""))[
            ["branch", "project", "forms_issued", "returned", "returned_self", "return_rate", "below_target"]
        ].rename(columns={"branch": t("field.branch"), "project": t("field.project"),
                          "forms_issued": t("field.survey_forms_issued"), "returned": t("survey.returned"),
                          "returned_self": t("survey.returned_self"), "return_rate": t("survey.return_rate"),
                          "below_target": t("survey.flag")}),
            hide_index=True, width="stretch", key="survey_waves.projects")
        st.caption(t("survey.def.return_rate", target=fmt.pct(target, 0)))

    b1, b2 = st.columns(2)
    rights = live(reads.wave_rights, db, actor, wave_id)  # the rules approve_wave / close_wave apply
    if rights["approve"]:
        if b1.button(t("survey.approve"), type="primary", key="survey_waves.approve"):
            try:
                commands.approve_wave(db, actor, wave_id, int(wave["version"]))
                st.session_state["survey_waves.flash"] = t("survey.approved")
                st.rerun()
            except UserError as exc:
                ui.show_error(exc)
    elif wave["status"] == "draft":
        b1.caption(t("survey.approval_rule_group") if wave["level"] == "group" else t("survey.approval_rule_local"))
    if rights["close"]:
        if b2.button(t("survey.close"), key="survey_waves.close"):
            try:
                commands.close_wave(db, actor, wave_id, int(wave["version"]))
                st.session_state["survey_waves.flash"] = t("survey.closed_done")
                st.rerun()
            except UserError as exc:
                ui.show_error(exc)
    flash = st.session_state.pop("survey_waves.flash", None)
    if flash:
        st.success(flash)

    if wave["status"] != "closed" and not projects.empty:
        with st.expander(t("survey.waves.adjust_issued")):
            pick = projects.set_index("project_id")
            e1, e2, e3 = st.columns([3, 1, 1])
            pid = e1.selectbox(t("field.project"), projects["project_id"].tolist(), placeholder=t("common.choose"), key=f"survey_waves.issued_project.{wave_id}",
                               format_func=lambda p: pick.loc[p, "project"])
            n = e2.number_input(t("field.survey_forms_issued"), min_value=1, step=1,
                                value=int(pick.loc[pid, "forms_issued"]),
                                key=f"survey_waves.issued_n.{wave_id}.{pid}")  # keyed per project: its own count
            if e3.button(t("common.save"), key=f"survey_waves.issued_save.{wave_id}"):
                try:
                    commands.set_forms_issued(db, actor, wave_id, int(pid), int(n))
                    st.success(t("common.saved"))
                except UserError as exc:
                    ui.show_error(exc)

        with st.expander(t("survey.tokens.title")):
            st.caption(t("survey.tokens.help"))
            pick = projects.set_index("project_id")
            k1, k2 = st.columns([3, 1])
            tpid = k1.selectbox(t("field.project"), projects["project_id"].tolist(), placeholder=t("common.choose"), key=f"survey_waves.token_project.{wave_id}",
                                format_func=lambda p: pick.loc[p, "project"])
            if k2.button(t("survey.tokens.create"), key="survey_waves.token_create"):
                try:
                    made = commands.create_tokens(db, actor, wave_id, int(tpid))
                    st.success(t("survey.tokens.created", n=made))
                except UserError as exc:
                    ui.show_error(exc)
            base = reads.public_base_url(db, actor)
            if base is None:
                st.warning(t("survey.tokens.no_public_url"))
                base = str(st.context.url or "").split("?")[0].rstrip("/")
                base = base.rsplit("/", 1)[0] if base.endswith("survey_waves") else base
            links = reads.household_links(db, actor, wave_id, int(tpid), base)
            if not links.empty:
                sheet = links.assign(answered=links["answered"].map(lambda v: t("common.yes") if v else ""))
                tokens = links
                heads = {"unit_text": t("field.unit"), "link": t("survey.tokens.link"),
                         "answered": t("survey.tokens.answered")}
                st.caption(t("survey.tokens.count", n=len(tokens), used=int(tokens["answered"].sum())))
                d1, d2 = st.columns(2)
                d1.download_button(t("survey.tokens.download"), key="survey_waves.token_sheet",
                                   file_name=f"survey_links_{wave['code']}.xlsx",
                                   data=lambda: excel.frame_to_xlsx(sheet, heads, "住户链接"),
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                qr_title = t("survey.tokens.qr_title", wave=wave["name"], project=pick.loc[tpid, "project"])
                qr_note = t("survey.tokens.qr_note")
                open_rows = surveys.open_links(links)
                d2.download_button(t("survey.tokens.qr"), key="survey_waves.token_qr",
                                   file_name=f"survey_qr_{wave['code']}_{tpid}.html",
                                   data=lambda: qr.qr_sheet_html(qr_title, qr_note, open_rows),
                                   mime="text/html")

# ---- a new plan ------------------------------------------------------------------------------
st.subheader(t("survey.waves.new"))
st.caption(t("survey.waves.new_help"))
candidates = cached(reads.plan_projects, db, actor)
active_q = cached(reads.questionnaires, db, actor, active_only=True)
with st.form("survey_waves.new_form"):
    n1, n2 = st.columns(2)
    name = n1.text_input(t("field.survey_wave_name"), key="survey_waves.name", max_chars=limits.TITLE,
                         placeholder=t("survey.waves.name_placeholder"))
    qid = n2.selectbox(t("field.survey_questionnaire"), active_q["id"].tolist(), placeholder=t("common.choose"), key="survey_waves.questionnaire",
                       format_func=lambda i: f"{active_q.set_index('id').loc[i, 'name']} "
                       f"v{active_q.set_index('id').loc[i, 'version']}")
    purpose = st.text_area(t("field.survey_purpose"), key="survey_waves.purpose", max_chars=limits.TEXT)
    m1, m2, m3 = st.columns(3)
    target_text = m1.text_input(t("field.survey_target"), key="survey_waves.target", max_chars=limits.TEXT,
                                value=t("survey.waves.default_target"))
    # typed as text and parsed by csm.dates: a date picker silently moves 02-30 to 02-28
    starts_on = m2.text_input(t("field.survey_starts_on"), value=today.isoformat(), key="survey_waves.starts_on",
                              placeholder=t("date.placeholder"))
    ends_on = m3.text_input(t("field.survey_ends_on"), value=(today + timedelta(days=30)).isoformat(),
                            key="survey_waves.ends_on", placeholder=t("date.placeholder"))
    staff = st.text_input(t("field.survey_staff"), key="survey_waves.staff", max_chars=limits.TEXT)
    grid = candidates.assign(include=True, forms_issued=candidates["households"].fillna(0).astype(int))[
        ["include", "id", "branch", "name", "households", "forms_issued"]]
    edited = st.data_editor(
        grid, hide_index=True, width="stretch", key="survey_waves.plan_grid", disabled=["id", "branch", "name",
                                                                                        "households"],
        column_config={"include": st.column_config.CheckboxColumn(t("survey.waves.include")),
                       "id": None, "branch": t("field.branch"), "name": t("field.project"),
                       "households": t("survey.households"),
                       "forms_issued": st.column_config.NumberColumn(t("field.survey_forms_issued"),
                                                                     min_value=0, step=1)})
    submitted = st.form_submit_button(t("survey.waves.create"), type="primary")
if submitted:
    chosen = {int(r.id): (int(r.forms_issued) if pd.notna(r.forms_issued) else 0)
              for r in edited.itertuples() if r.include}
    try:
        starts_on, ends_on = dates.period(starts_on, ends_on, "survey_starts_on", "survey_ends_on", today,
                                          dates.years_allowed(db))
        plan = surveys.WavePlan(name=name, purpose=purpose, questionnaire_id=qid, starts_on=starts_on,
                                ends_on=ends_on, forms_issued=chosen, target=target_text, staff=staff)
        commands.create_wave(db, actor, plan)
        st.session_state["survey_waves.flash"] = t("survey.waves.created")
        st.rerun()
    except UserError as exc:
        ui.show_error(exc)
