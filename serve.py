"""The server's entry: `streamlit run serve.py` (Streamlit finds `app` below and serves it with
uvicorn, st.App's ASGI mode). It runs app.py exactly as `streamlit run app.py` did, plus the two
HTTP routes of the login cookie (csm/web/auth_routes.py: the cookie is HttpOnly, which only a
Set-Cookie header can do). Tests with AppTest still run app.py directly (docs/architecture.md)."""

import streamlit as st

from csm.web import auth_routes

app = st.App("app.py", routes=auth_routes.routes())
