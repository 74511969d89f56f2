"""Self-service survey (住户自助问卷): reached by a per-household link (?survey_token=...), no login;
shows the wave's questionnaire in Chinese and accepts one answer per token."""

import streamlit as st

from csm import surveys, ui
from csm.errors import UserError
from csm.i18n import t

CHOICES = (4, 3, 2, 1)
WORDS = {4: "很满意", 3: "满意", 2: "较满意", 1: "不满意"}

ui.init_state()
db = ui.get_db()
token = st.query_params.get("survey_token") or st.query_params.get("token") or ""
st.title(t("survey.self.title"))
done = st.session_state.get("survey_self.done")
if done and done == token:
    st.success(t("survey.self.thanks"))
    st.stop()
try:
    info = surveys.token_info(db, token)
except UserError as exc:
    st.error(exc.message())
    st.stop()

st.caption(t("survey.self.intro", project=info["project"], unit=info["unit_text"] or "", wave=info["wave"]))
st.caption(t("survey.self.scale"))
items = surveys.items_of(db, info["questionnaire_id"])
with st.form("survey_self.form"):
    dimension = None
    answers = {}
    for i in items:
        if i["dimension_name"] != dimension:
            dimension = i["dimension_name"]
            st.markdown(f"**{dimension}**")
        answers[i["item_key"]] = st.radio(f"{i['sort']}. {i['text_zh']}", CHOICES, index=None, horizontal=True,
                                          format_func=WORDS.get, key=f"survey_self.{i['item_key']}")
    comments = st.text_area(t("field.survey_comments"), key="survey_self.comments")
    sent = st.form_submit_button(t("survey.self.submit"), type="primary", width="stretch")
if sent:
    try:
        surveys.answer_by_token(db, token, answers, comments)
        st.session_state["survey_self.done"] = token
        st.rerun()
    except UserError as exc:
        ui.show_error(exc)
