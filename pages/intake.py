"""Complaint intake (投诉登记表): one keyboard-friendly form; duplicates shown before saving.

Widgets are plain (not st.form) so that picking a unit fills the complainant and the first-level
category narrows the second; everything typed stays in session state until it is saved.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import streamlit as st

from csm import complaints, fmt, ui
from csm.complaints import Attachment, Intake
from csm.errors import UserError
from csm.i18n import current_lang, label, t

user = ui.guard("intake")
db = ui.get_db()
scope = ui.scope_of(user)
zone = ZoneInfo(db.timezone)
en = current_lang() == "en"

st.caption(t("intake.subtitle"))
gen = st.session_state.setdefault("intake.gen", 0)  # bumped after a save: a fresh empty form


def k(name: str) -> str:
    return f"intake.{name}.{gen}"


saved = st.session_state.get("intake.saved")
if saved:
    st.success(t("intake.saved", code=saved["code"], first=fmt.dt(saved["first_response_due_at"], db.timezone),
                 resolve=fmt.dt(saved["resolve_due_at"], db.timezone)))
    if st.button(t("intake.open_saved", code=saved["code"]), key="intake.open_saved"):
        st.session_state["complaints.open_id"] = saved["id"]
        st.switch_page("pages/complaints.py")

projects = db.df("projects_in_scope", scope.params())
if projects.empty:
    st.info(t("common.no_data"))
    st.stop()
channels = db.df("channels_active")
cats = db.df("categories_tree")
by_project = projects.set_index("id")

c1, c2, c3 = st.columns([2, 2, 1])
project_id = c1.selectbox(t("field.project") + " *", projects["id"].tolist(), key=k("project"),
                          format_func=lambda v: f"{by_project.loc[v, 'code']} {by_project.loc[v, 'name']}",
                          disabled=len(projects) == 1)
units = db.df("units_of_project", {"project_id": project_id, **scope.params()})
by_unit = units.set_index("id") if not units.empty else None


def _fill_from_unit():
    uid = st.session_state.get(k("unit"))
    if uid is not None and by_unit is not None and uid in by_unit.index:
        u = by_unit.loc[uid]
        if u["resident"] and not st.session_state.get(k("name")):
            st.session_state[k("name")] = u["resident"]
        if u["resident_phone"] and not st.session_state.get(k("phone")):
            st.session_state[k("phone")] = u["resident_phone"]
        if u["relation"]:
            st.session_state[k("relation")] = u["relation"]


unit_id = c2.selectbox(t("field.unit_pick"), [None, *units["id"].tolist()], key=k("unit"), on_change=_fill_from_unit,
                       format_func=lambda v: t("intake.pick_unit_none") if v is None else
                       f"{by_unit.loc[v, 'code']}  {by_unit.loc[v, 'resident'] or ''}")
unit_text = c3.text_input(t("field.unit_text"), key=k("unit_text"), disabled=unit_id is not None)

p1, p2, p3 = st.columns([2, 2, 1])
name = p1.text_input(t("field.complainant") + " *", key=k("name"))
phone = p2.text_input(t("field.phone"), key=k("phone"), placeholder="13912345678 / 021-62345678")
relation = p3.selectbox(t("field.relation"), list(complaints.RELATIONS), key=k("relation"),
                        format_func=lambda v: label(v, "relation"))

r1, r2, r3 = st.columns([2, 1, 1])
by_channel = channels.set_index("id")
channel_id = r1.selectbox(t("field.channel") + " *", channels["id"].tolist(), key=k("channel"),
                          format_func=lambda v: by_channel.loc[v, "name_en" if en else "name"])
now_local = datetime.now(zone)
rdate = r2.date_input(t("field.received_date") + " *", value=now_local.date(), max_value=now_local.date(),
                      key=k("rdate"), format="YYYY-MM-DD")
rtime = r3.time_input(t("field.received_time") + " *", value=time(now_local.hour, now_local.minute),
                      key=k("rtime"), step=60)

parents = cats.drop_duplicates("parent_id")
by_parent = parents.set_index("parent_id")
g1, g2, g3 = st.columns([1, 2, 1])
parent_id = g1.selectbox(t("field.category1") + " *", parents["parent_id"].tolist(), key=k("cat1"), index=None,
                         placeholder=t("common.choose"),
                         format_func=lambda v: by_parent.loc[v, "parent_en" if en else "parent"])
subs = cats[cats["parent_id"] == parent_id] if parent_id is not None else cats.iloc[0:0]
by_cat = cats.set_index("id")
category_id = g2.selectbox(t("field.category2") + " *", subs["id"].tolist(), key=k("cat2"), index=None,
                           placeholder=t("common.choose"),
                           format_func=lambda v: by_cat.loc[v, "name_en" if en else "name"])
urgency = g3.radio(t("field.urgency"), ["normal", "urgent"], key=k("urgency"), horizontal=True,
                   format_func=lambda v: label(v, "urgency"))
description = st.text_area(t("field.description") + " *", key=k("description"), height=150)
files = st.file_uploader(t("field.attachments"), key=k("files"), accept_multiple_files=True,
                         type=[e.lstrip(".") for e in complaints.ATTACH_TYPES])

received_at = datetime.combine(rdate, rtime, zone).astimezone(UTC) if rdate and rtime else None
form = Intake(project_id=project_id, complainant_name=name, complainant_phone=phone, relation=relation,
              channel_id=channel_id, category_id=category_id, description=description, received_at=received_at,
              urgency=urgency, unit_id=unit_id, unit_text=unit_text,
              resident_id=int(by_unit.loc[unit_id, "resident_id"]) if unit_id is not None and by_unit is not None
              and by_unit.loc[unit_id, "resident_id"] == by_unit.loc[unit_id, "resident_id"] else None)

# ---- duplicate warning: open complaints of this unit and category in the last 30 days ----------
link_to = None
dups = complaints.duplicates(db, scope, form)
if not dups.empty:
    st.warning(t("intake.duplicates", n=len(dups)))
    st.dataframe(dups.assign(received_at=dups["received_at"].map(lambda v: fmt.dt(v, db.timezone)),
                             status=dups["status"].map(lambda v: label(v, "status")))
                 [["code", "received_at", "status", "complainant_name", "description"]]
                 .rename(columns={"code": t("field.code"), "received_at": t("field.received_at"),
                                  "status": t("field.status"), "complainant_name": t("field.complainant"),
                                  "description": t("field.summary")}),
                 hide_index=True, key=k("dups"))
    by_dup = dups.set_index("id")
    link_to = st.radio(t("intake.link_to"), [None, *dups["id"].tolist()], key=k("link"),
                       format_func=lambda v: t("intake.no_link") if v is None else by_dup.loc[v, "code"])
    confirmed = st.checkbox(t("intake.confirm_duplicate"), key=k("dup_ok"))
else:
    confirmed = True

if st.button(t("intake.save"), type="primary", key=k("save")):
    if not confirmed:
        st.error(t("intake.need_confirm"))
    else:
        form.linked_to_id = link_to
        attachments = [Attachment(f.name, f.getvalue(), f.type or "") for f in (files or [])]
        try:
            out = complaints.file_complaint(db, user, form, attachments, set(projects["id"].tolist()))
            st.session_state["intake.saved"] = out
            st.session_state["intake.gen"] = gen + 1
            st.rerun()
        except UserError as exc:
            ui.show_error(exc)

# ---- my project's latest complaints ------------------------------------------------------------
st.divider()
st.caption(t("intake.recent"))
recent = db.df("complaint_recent", {**scope.params(), "limit": 10})
if not recent.empty:
    st.dataframe(recent.assign(received_at=recent["received_at"].map(lambda v: fmt.dt(v, db.timezone)),
                               status=recent["status"].map(lambda v: label(v, "status")))
                 .rename(columns={"code": t("field.code"), "received_at": t("field.received_at"),
                                  "status": t("field.status"), "project": t("field.project"),
                                  "unit_text": t("field.unit"), "complainant_name": t("field.complainant"),
                                  "summary": t("field.summary")}),
                 hide_index=True, width="stretch", key="intake.recent")
