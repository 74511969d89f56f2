"""Survey entry (问卷录入): returned paper forms typed on a grid, or imported from the wave's template."""

import pandas as pd
import streamlit as st

from csm import fmt, surveys
from csm.errors import UserError
from csm.i18n import current_lang, label, labels, t
from csm.surveys import commands, reads
from csm.web import ui
from csm.web.cache import cached

GRID_ROWS = 5

user = ui.guard("survey_entry")
db, actor = ui.acting(user)

waves = cached(reads.waves, db, actor, with_drafts=False)
if waves.empty:
    st.info(t("survey.entry.no_wave"))
    st.stop()
by_id = waves.set_index("id")
w1, w2 = st.columns([3, 2])
wave_id = w1.selectbox(t("field.survey_wave"), waves["id"].tolist(), key="survey_entry.wave",
                       placeholder=t("common.choose"),
                       format_func=lambda i: f"{by_id.loc[i, 'code']} · {by_id.loc[i, 'name']} · "
                       f"{label(by_id.loc[i, 'status'], 'survey_status')}")
wave = cached(reads.wave, db, actor, wave_id)
rates = cached(reads.wave_projects, db, actor, wave_id, workable=True)
if rates.empty:
    st.info(t("survey.entry.no_project"))
    st.stop()
prj = rates.set_index("project_id")
project_id = int(w2.selectbox(t("field.project"), rates["project_id"].tolist(), key="survey_entry.project",
                              placeholder=t("common.choose"),
                              format_func=lambda p: prj.loc[p, "project"]))
row = prj.loc[project_id]

# ---- running counts (definitions beside them) ---------------------------------------------------
target = cached(reads.targets, db, actor)["return_rate"]
project_rate = cached(reads.satisfaction, db, actor, wave_id, "wave", project_id=project_id)
sat = project_rate["satisfaction_rate"].iloc[0] if not project_rate.empty else None
m1, m2, m3 = st.columns(3)
m1.metric(t("survey.entry.returned_of_issued"), f"{int(row['returned'])} / {int(row['forms_issued'])}")
m2.metric(t("survey.return_rate"), fmt.pct(row["return_rate"]),
          delta=(t("survey.below_target") if row["below_target"] else None), delta_color="inverse",
          help=t("survey.def.return_rate", target=fmt.pct(target, 0)))
m3.metric(t("survey.satisfaction_rate"), fmt.pct(sat), help=t("survey.def.satisfaction"))

if wave["status"] == "closed":
    st.info(t("survey.error.closed"))
    st.stop()

# ---- the grid: one row per form, one column per item ---------------------------------------------
items = cached(reads.items, db, actor, wave["questionnaire_id"])
en = current_lang() == "en"
st.subheader(t("survey.entry.grid"))
st.caption(t("survey.entry.grid_help"))
with st.expander(t("survey.entry.items_legend")):
    st.dataframe(pd.DataFrame({"#": [f"{i['sort']:02d}" for i in items],
                               t("survey.dimension"): [i["dimension_name_en" if en else "dimension_name"]
                                                      for i in items],
                               t("survey.item"): [surveys.item_text(i) for i in items]}),
                 hide_index=True, width="stretch", key="survey_entry.legend")
columns = ["unit", "form_no", *[i["item_key"] for i in items], "comments"]
config = {"unit": st.column_config.TextColumn(t("field.unit"), width="small"),
          "form_no": st.column_config.TextColumn(t("field.survey_form_no"), width="small"),
          "comments": st.column_config.TextColumn(t("field.survey_comments"), width="large")}
for i in items:
    # no validate pattern: a cell keeps what was typed and the save names it (surveys.parse_rating)
    config[i["item_key"]] = st.column_config.TextColumn(
        f"{i['sort']:02d}", help=f"{i['dimension_name_en' if en else 'dimension_name']} · {surveys.item_text(i)}",
        width=44)
generation = st.session_state.setdefault("survey_entry.generation", 0)
pending_key = f"survey_entry.incomplete.{generation}"  # the rows of the last save refused as incomplete
empty = pd.DataFrame({c: pd.Series([""] * GRID_ROWS, dtype="object") for c in columns})
# the grid sits in a form: typing and moving between cells never reruns the page (no keystroke can
# be lost to a rerun, and a 30-item form is typed at the clerk's own speed); saving submits it
with st.form(f"survey_entry.form.{generation}", clear_on_submit=False, border=False):
    edited = st.data_editor(empty, num_rows="dynamic", hide_index=True, width="stretch",
                            column_config=config, key=f"survey_entry.grid.{generation}")
    pending = st.session_state.get(pending_key)
    confirmed = False
    if pending:
        st.warning(ui.plain(pending["message"]) + "\n\n" + "\n".join(f"- {ui.plain(m)}" for m in pending["rows"]))
        confirmed = st.checkbox(t("survey.entry.confirm_incomplete"), key=f"survey_entry.confirm.{generation}")
    save_clicked = st.form_submit_button(t("survey.entry.save"), type="primary")

flash = st.session_state.pop("survey_entry.flash", None)
if flash:
    st.success(flash)


def save_grid(confirm: bool):
    forms = surveys.grid_forms(edited.to_dict("records"), items, project_id)
    return commands.enter_forms(db, actor, wave_id, forms, confirm_incomplete=confirm)


if save_clicked:
    try:
        try:
            saved = save_grid(False)
        except surveys.IncompleteForms as exc:
            # confirmed only for the very rows listed; a changed grid is listed afresh
            if not (confirmed and pending and pending["rows"] == exc.messages()):
                st.session_state[pending_key] = {"message": exc.message(), "rows": exc.messages()}
                st.rerun()
            saved = save_grid(True)
        tasks = sum(1 for s in saved if s["revisit_task_id"])
        st.session_state["survey_entry.flash"] = t("survey.entry.saved", n=len(saved), tasks=tasks)
        st.session_state.pop(pending_key, None)
        st.session_state["survey_entry.generation"] = generation + 1
        st.rerun()
    except UserError as exc:
        st.session_state.pop(pending_key, None)
        ui.show_error(exc)
        st.caption(t("survey.entry.unsaved_kept"))

# ---- Excel: template and import -----------------------------------------------------------------
st.subheader(t("survey.entry.excel"))
x1, x2 = st.columns(2)
with x1:
    st.caption(t("survey.entry.template_help"))
    st.download_button(t("survey.entry.template"), key="survey_entry.template",
                       data=cached(reads.template, db, actor, wave_id, prj.loc[project_id, "project_code"]),
                       file_name=f"survey_{wave['code']}_{prj.loc[project_id, 'project_code']}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
with x2:
    upload = st.file_uploader(t("survey.entry.upload"), type=["xlsx"], key="survey_entry.upload")
    confirm_import = False
    pending_import = st.session_state.get("survey_entry.import_incomplete")
    if upload is not None and pending_import and pending_import["file"] == upload.file_id:
        st.warning(ui.plain(pending_import["message"]) + "\n\n"
                   + "\n".join(f"- {ui.plain(m)}" for m in pending_import["rows"]))
        confirm_import = st.checkbox(t("survey.entry.import_confirm"), key="survey_entry.import_confirm")
    if upload is not None and st.button(t("survey.entry.import"), key="survey_entry.import"):
        try:
            with ui.import_progress(upload.name) as progress:
                saved = commands.import_forms(db, actor, wave_id, upload.getvalue(), upload.name,
                                               confirm_incomplete=confirm_import, progress=progress)
            tasks = sum(1 for s in saved if s["revisit_task_id"])
            st.session_state.pop("survey_entry.import_incomplete", None)
            flash = t("survey.entry.imported", n=len(saved), tasks=tasks)
            if saved.samples:
                flash += "\n\n" + t("import.samples_skipped", rows="、".join(map(str, saved.samples)))
            st.session_state["survey_entry.flash"] = flash
            st.rerun()
        except surveys.IncompleteForms as exc:
            st.session_state["survey_entry.import_incomplete"] = {"file": upload.file_id, "message": exc.message(),
                                                                  "rows": exc.messages()}
            st.rerun()
        except UserError as exc:
            ui.show_error(exc)

# ---- the forms entered last ---------------------------------------------------------------------
recent = cached(reads.recent_forms, db, actor, wave_id, project_id)
if not recent.empty:
    st.caption(t("survey.entry.recent"))
    st.dataframe(fmt.blank_missing(recent.assign(source=labels(recent["source"], "survey_source"),
                                                 score=recent["score"].map(lambda v: fmt.num(v, 1))))[
        ["id", "unit_text", "form_no", "source", "returned_on", "n_rated", "n_unsatisfied", "score",
         "revisit_task_id", "entered_by"]].rename(columns={
            "id": "#", "unit_text": t("field.unit"), "form_no": t("field.survey_form_no"),
            "source": t("survey.source"), "returned_on": t("field.survey_returned_on"),
            "n_rated": t("survey.n_rated"), "n_unsatisfied": t("survey.n_unsatisfied"),
            "score": t("survey.score"), "revisit_task_id": t("survey.revisit_task"),
            "entered_by": t("survey.entered_by")}),
        hide_index=True, width="stretch", key="survey_entry.recent")
