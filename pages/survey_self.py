"""Self-service survey (住户自助问卷): reached by a per-household link (?survey_token=...), no login;
shows the wave's questionnaire in the session's language and accepts one answer per household: a
household that already answered (by its link, on paper or by import) is told so before the questions."""

import streamlit as st

from csm import limits, surveys
from csm.errors import UserError
from csm.i18n import current_lang, label, t
from csm.surveys import self_service
from csm.web import ui

CHOICES = (4, 3, 2, 1)

ui.init_state()
db = ui.resident_link_db()  # no login: the token is the credential (csm/surveys/self_service.py)
token = st.query_params.get("survey_token") or st.query_params.get("token") or ""
st.title(t("survey.self.title"))
done = st.session_state.get("survey_self.done")
if done and done == token:
    st.success(t("survey.self.thanks"))
    st.stop()
try:
    info = self_service.token_info(db, token)
except UserError as exc:
    if exc.key == "survey.self.unknown_token":
        st.error(ui.plain(exc.message()))
    else:  # answered already, all forms returned, wave closed or past its end: no questions to answer
        st.info(ui.plain(exc.message()))
    st.stop()

en = current_lang() == "en"
st.caption(ui.plain_t("survey.self.intro", project=info["project"], unit=info["unit_text"] or "", wave=info["wave"]))
st.caption(t("survey.self.scale"))
items = info["items"]
with st.form("survey_self.form"):
    dimension = None
    answers = {}
    for i in items:
        name = i["dimension_name_en" if en else "dimension_name"]
        if name != dimension:
            dimension = name
            st.markdown(f"**{ui.plain(dimension)}**")
        answers[i["item_key"]] = st.radio(f"{i['sort']}. {ui.plain(surveys.item_text(i))}", CHOICES, index=None,
                                          horizontal=True, format_func=lambda r: label(r, "survey_rating"),
                                          key=f"survey_self.{i['item_key']}")
    comments = st.text_area(t("field.survey_comments"), key="survey_self.comments", max_chars=limits.TEXT)
    sent = st.form_submit_button(t("survey.self.submit"), type="primary", width="stretch")
if sent:
    try:
        self_service.answer_by_token(db, token, answers, comments)
        st.session_state["survey_self.done"] = token
        st.rerun()
    except UserError as exc:
        ui.show_error(exc)
