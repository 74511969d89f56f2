"""Home: who I am, my scope, and the size of what I look after."""

import streamlit as st

from csm import fmt, ui
from csm.i18n import t
from csm.scope import describe

user = ui.guard("home")
db = ui.get_db()
scope = ui.scope_of(user)

st.subheader(t("home.welcome", name=user["display_name"]))
st.caption(t("home.scope", scope=describe(db, scope)))

counts = db.one("org_counts", scope.params())
cols = st.columns(4)
for col, key in zip(cols, ("branches", "projects", "units", "residents"), strict=False):
    col.metric(t(f"home.stats.{key}"), fmt.num(counts[key]))
st.info(t("home.intro"))
