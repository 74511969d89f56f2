"""My account: interface language (kept for the next login) and password change (which ends the
user's other sessions: a copied login cookie no longer works)."""

import streamlit as st

from csm import i18n
from csm.errors import UserError
from csm.i18n import t
from csm.org import commands
from csm.web import ui

user = ui.guard("account")
db, actor = ui.acting(user)

st.subheader(t("account.language"))
lang = st.radio(t("account.language"), options=list(i18n.LANGS), format_func=lambda v: t(f"lang.{v}"),
                index=list(i18n.LANGS).index(i18n.current_lang()), horizontal=True,
                key="account.lang", label_visibility="collapsed")
if lang != i18n.current_lang():
    commands.set_language(db, actor, lang)
    i18n.set_lang(lang)
    st.rerun()

st.subheader(t("account.change_password"))
with st.form("account.password_form", clear_on_submit=False):
    old = st.text_input(t("field.old_password"), type="password", key="account.old_password")
    new = st.text_input(t("field.new_password"), type="password", key="account.new_password")
    confirm = st.text_input(t("field.confirm_password"), type="password",
                            key="account.confirm_password")
    submitted = st.form_submit_button(t("common.save"), type="primary")
if submitted:
    try:
        commands.change_password(db, actor, old, new, confirm)  # ends every session of the user
        ui.renew_session(user)  # ... and this browser gets a new one
        st.success(t("account.password_changed"))
    except UserError as exc:
        ui.show_error(exc)
