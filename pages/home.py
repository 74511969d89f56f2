"""Home: my inbox (assigned complaints, notices, items due today) first, then my scope at a glance."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from csm import complaints, fmt, ui
from csm.i18n import label, t
from csm.scope import describe

user = ui.guard("home")
db = ui.get_db()
scope = ui.scope_of(user)
now = datetime.now(UTC)

st.subheader(t("home.welcome", name=user["display_name"]))
st.caption(t("home.scope", scope=describe(db, scope)))

if user["role"] != "admin":
    st.markdown(f"#### {t('inbox.title')}")
    items = db.df("inbox_items", complaints.inbox_params(user, db.timezone, now))
    if items.empty:
        st.info(t("inbox.empty"))
    else:
        st.caption(t("inbox.count", n=len(items)))
        for i, item in enumerate(items.head(30).to_dict("records")):
            c1, c2, c3, c4 = st.columns([2, 5, 1, 1])
            c1.markdown(f"**{label(item['kind'], 'notice')}**  \n{item['code']}")
            c2.markdown(f"{item['project']} · {label(item['status'], 'status')} · "
                        f"{t('field.resolve_due_at')} {fmt.dt(item['due_at'], db.timezone)}  \n{item['summary']}")
            if c3.button(t("inbox.open"), key=f"home.open.{i}"):
                if pd.notna(item["notice_id"]):
                    complaints.mark_read(db, user, int(item["notice_id"]))
                st.session_state["complaints.open_id"] = int(item["complaint_id"])
                st.switch_page("pages/complaints.py")
            if item["source"] == "notice" and c4.button(t("inbox.mark_read"), key=f"home.read.{i}"):
                complaints.mark_read(db, user, int(item["notice_id"]))
                st.rerun()

counts = db.one("org_counts", scope.params())
cols = st.columns(4)
for col, key in zip(cols, ("branches", "projects", "units", "residents"), strict=False):
    col.metric(t(f"home.stats.{key}"), fmt.num(counts[key]))
st.info(t("home.intro"))
