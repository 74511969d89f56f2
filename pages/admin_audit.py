"""The audit log: who did what and when, newest first, filtered, exported to Excel."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from csm import exports
from csm.admin import reads
from csm.i18n import label, labels, t
from csm.web import ui

SHOWN = 500       # rows drawn on screen
EXPORTED = 20000  # rows written to the Excel file

user = ui.guard("admin_audit")
db, me = ui.acting(user)
zone = ZoneInfo(me.tz)

choices = reads.audit_choices(db, me)


def options(kind: str) -> list:
    return [None, *choices.get(kind, [])]


def any_or(prefix: str | None):
    def fmt(v):
        if v is None:
            return t("admin.audit.any")
        return label(v, prefix) if prefix else v
    return fmt


c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
actor = c1.selectbox(t("admin.audit.actor"), options("actor"), format_func=any_or(None), placeholder=t("common.choose"), key="admin_audit.actor")
action = c2.selectbox(t("admin.audit.action"), options("action"), format_func=any_or("admin.action"),
                      placeholder=t("common.choose"), key="admin_audit.action")
entity = c3.selectbox(t("admin.audit.entity"), options("entity"), format_func=any_or("admin.entity"),
                      placeholder=t("common.choose"), key="admin_audit.entity")
today = me.today()
period = c4.date_input(t("admin.audit.period"), value=(today - timedelta(days=30), today),
                       key="admin_audit.period", format="YYYY-MM-DD")
since = until = None
if isinstance(period, tuple | list) and period:
    since = datetime.combine(period[0], time(0), zone)
    until = datetime.combine(period[-1] + timedelta(days=1), time(0), zone)

rows = reads.audit_search(db, me, actor, action, entity, since, until, limit=EXPORTED)
headers = {"at_time": t("admin.audit.at_time"), "actor": t("admin.audit.actor"),
           "action": t("admin.audit.action"), "entity": t("admin.audit.entity"),
           "entity_id": t("admin.audit.entity_id"), "before": t("admin.audit.before"),
           "after": t("admin.audit.after")}
if rows.empty:
    st.info(t("common.no_data"))
else:
    rows["action"] = labels(rows["action"], "admin.action")
    rows["entity"] = labels(rows["entity"], "admin.entity")
    for col in ("actor", "entity_id", "before", "after"):  # an empty cell, not "None"
        rows[col] = rows[col].astype(object).where(rows[col].notna(), "")
    st.caption(t("common.rows", n=len(rows)))
    if len(rows) > SHOWN:
        st.caption(t("common.showing_first", n=SHOWN))
    st.dataframe(
        rows.head(SHOWN), hide_index=True, width="stretch", column_order=list(headers),
        column_config={**headers, "at_time": st.column_config.DatetimeColumn(
            headers["at_time"], format="YYYY-MM-DD HH:mm:ss", timezone=me.tz)},
    )
    ui.downloads("admin_audit.export", lambda: exports.build("audit", db, me, exports.Request(
        since and period[0], until and period[-1], {"who": actor, "action": action, "entity": entity})),
        rows=len(rows), stem=f"{t('admin.audit.file')}-{today.isoformat()}")
