"""Questionnaire versions (问卷版本) and the weights of the 100-point score, kept by head office.

A new version starts from an existing one: items keep their stable keys so that trends compare
the same item across versions; waves keep the version they were planned with.
"""

import pandas as pd
import streamlit as st

from csm.errors import UserError
from csm.i18n import current_lang, labels, t
from csm.surveys import commands, reads
from csm.web import ui

user = ui.guard("survey_questionnaires")
db, actor = ui.acting(user)
en = current_lang() == "en"

versions = reads.questionnaires(db, actor)
st.subheader(t("survey.q.versions"))
st.dataframe(versions.assign(status=labels(versions["status"], "survey_q_status"))[
    ["code", "version", "name", "status", "items"]].rename(columns={
        "code": t("survey.q.code"), "version": t("survey.q.version"), "name": t("field.survey_q_name"),
        "status": t("field.status"), "items": t("field.survey_items")}),
    hide_index=True, width="stretch", key="survey_questionnaires.list")

labels = {r["id"]: f"{r['code']} v{r['version']} · {r['name']}" for r in versions.to_dict("records")}
base_id = st.selectbox(t("survey.q.base"), list(labels), format_func=labels.get, key="survey_questionnaires.base",
                       placeholder=t("common.choose"))
dims = reads.dimensions(db, actor)
dim_labels = dict(zip(dims["code"], dims["name_en" if en else "name"], strict=True))
items = pd.DataFrame(reads.items(db, actor, int(base_id)))[["item_key", "dimension", "text_zh", "text_en"]]
st.caption(t("survey.q.items_help"))
with st.form(f"survey_questionnaires.form.{base_id}", border=False):
    name = st.text_input(t("field.survey_q_name"), value=versions.set_index("id").loc[base_id, "name"],
                         key=f"survey_questionnaires.name.{base_id}")
    edited = st.data_editor(items, num_rows="dynamic", hide_index=True, width="stretch",
                            key=f"survey_questionnaires.items.{base_id}", column_config={
                                "item_key": st.column_config.TextColumn(t("field.item_key"), width="medium"),
                                "dimension": st.column_config.SelectboxColumn(
                                    t("survey.dimension"), options=list(dim_labels), width="small",
                                    format_func=lambda c: dim_labels.get(c, c)),
                                "text_zh": st.column_config.TextColumn(t("field.text_zh"), width="large"),
                                "text_en": st.column_config.TextColumn(t("field.text_en"), width="large")})
    save = st.form_submit_button(t("survey.q.save"), type="primary")
if save:
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in edited.to_dict("records")]
    rows = [r for r in rows if any(r.values())]
    try:
        qid = commands.new_questionnaire_version(db, actor, int(base_id), name, "", rows)
        version = reads.questionnaire(db, actor, qid)["version"]
        st.success(t("survey.q.saved", version=version, n=len(rows)))
    except UserError as exc:
        ui.show_error(exc)

# ---- the 100-point weights -------------------------------------------------------------------------
st.subheader(t("survey.q.weights"))
st.caption(t("survey.q.weights_help"))
weights = reads.weights(db, actor)
with st.form("survey_questionnaires.weights", border=False):
    cols = st.columns(len(weights))
    typed = {}
    for col, w in zip(cols, weights.to_dict("records"), strict=True):
        typed[int(w["rating"])] = col.number_input(w["name_en" if en else "name"], value=float(w["weight"]),
                                                   step=5.0, key=f"survey_questionnaires.w{w['rating']}")
    save_w = st.form_submit_button(t("survey.q.weights_save"))
if save_w:
    try:
        commands.set_weights(db, actor, typed)
        st.success(t("survey.q.weights_saved"))
    except UserError as exc:
        ui.show_error(exc)
