"""Entry point: page config, login, and the role-aware navigation. Nothing else."""

import streamlit as st

from csm.i18n import t
from csm.web import cache, ui

st.set_page_config(page_title=t("app.title"), page_icon=":material/support_agent:", layout="wide")
ui.start_services()  # once per process: the escalation timer and the operators' control channel

if st.query_params.get("survey_token"):
    # a resident's household link (no login): only the self-service questionnaire
    st.navigation([st.Page("pages/survey_self.py", title=t("survey.self.title"), url_path="survey")],
                  position="hidden").run()
    st.stop()

user = ui.restore_session()  # this session's user (its server-side session), or the login cookie's
if user is None or ui.password_gate(user):  # the gate: production mode, a password to change first
    if user is None:
        ui.chrome()
        ui.login()
    # no menu before login: until st.navigation runs, Streamlit would list the pages/ scripts itself
    # (calling st.navigation here breaks the login form's rerun, so the listing is hidden instead)
    st.html("<style>[data-testid='stSidebarNav'], [data-testid='stSidebar'] {display: none;}</style>")
    st.stop()

page = ui.navigation(user)  # before any element: see ui.restore_session
ui.chrome()
ui.sidebar(user)
if page.url_path in ("", "home"):
    ui.calendar_notice(user)  # the administrator's notice of a year without its holidays
try:
    page.run()
finally:  # the desk's open complaint into its URL (?complaint=), also after the page's st.stop()
    ui.complaint_to_url(page)
    ui.end_run()  # the next run checks the session again (ui.restore_session)
    cache.freeze_loaded_heap()  # the post-rerun collection walks only what this rerun made (csm/web/cache.py)
