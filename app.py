"""Entry point: page config, login, and the role-aware navigation. Nothing else."""

import streamlit as st

from csm import ui
from csm.i18n import t

st.set_page_config(page_title=t("app.title"), page_icon=":material/support_agent:", layout="wide")

user, authenticator = ui.login()
if user is None:
    # no menu before login: without this call Streamlit would list the pages/ scripts itself
    st.navigation([st.Page("pages/home.py", default=True)], position="hidden")
    st.stop()

page = ui.navigation(user)
ui.sidebar(user, authenticator)
page.run()
