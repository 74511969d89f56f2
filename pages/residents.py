"""Residents within my scope; phones masked outside the resident's own project."""

import streamlit as st

from csm import ui
from csm.i18n import label, t

LIMIT = 500

user = ui.guard("residents")
db = ui.get_db()
scope = ui.scope_of(user)

projects = db.df("projects_in_scope", scope.params())
project_names = dict(zip(projects["id"], projects["name"], strict=True))
c1, c2 = st.columns([1, 2])
project_id = c1.selectbox(
    t("residents.project"), options=[None, *projects["id"].tolist()],
    format_func=lambda v: t("residents.all_projects") if v is None
    else project_names[v],
    key="residents.project",
)
q = c2.text_input(t("residents.search"), key="residents.q", placeholder=t("residents.search_hint"))

df = db.df("residents_list", {**scope.params(), "q": q.strip() or None,
                              "project_id": project_id, "limit": LIMIT + 1})
if df.empty:
    st.info(t("common.no_data"))
else:
    if len(df) > LIMIT:
        st.caption(t("common.showing_first", n=LIMIT))
        df = df.head(LIMIT)
    df["relation"] = df["relation"].map(lambda v: label(v, "relation"))
    st.dataframe(
        df.drop(columns=["id"]), hide_index=True, width="stretch",
        column_config={
            "branch": t("field.branch"), "project": t("field.project"),
            "building": t("field.building"), "unit": t("field.unit"),
            "name": t("field.resident_name"), "relation": t("field.relation"),
            "phone": t("field.phone"),
            "moved_in_on": st.column_config.DateColumn(t("field.moved_in_on"), format="YYYY-MM-DD"),
        },
    )
