"""The server's entry: `streamlit run serve.py` (Streamlit finds `app` below and serves it with
uvicorn, st.App's ASGI mode). It runs app.py exactly as `streamlit run app.py` did, plus the two
HTTP routes of the login cookie (csm/web/auth_routes.py: the cookie is HttpOnly, which only a
Set-Cookie header can do). Tests with AppTest still run app.py directly (docs/architecture.md)."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from csm.web import auth_routes

# Every run goes through app.py (login, role-aware st.navigation). Streamlit treats an app with a
# pages/ folder as a version-1 multipage app until some run calls st.navigation, and meanwhile
# runs a deep link's script alone: the first tabs to reach a freshly started process on a page's
# URL (a reload or a reconnect after a restart, a second app server behind the proxy) skipped
# app.py and were told to log in although their login cookie was valid. st.navigation clears
# this same flag; clearing it before the first session makes that true from the start.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=auth_routes.routes())
