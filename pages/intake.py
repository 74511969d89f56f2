"""Complaint intake (投诉登记表): keyboard first.

The choices that change the form (project, unit from the register, the two-level category) sit
above it and rerun at once; everything typed is inside one st.form, so typing never reruns the
page (nothing can be lost to a rerun) and Enter in a text box saves. A possible duplicate found
on saving is shown inside the form, which keeps every value, and needs a tick before saving.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from csm import complaints, dates, fmt, limits, phones
from csm.complaints import Attachment, Intake, commands, reads
from csm.errors import UserError
from csm.i18n import current_lang, label, labels, t
from csm.web import ui

user = ui.guard("intake")
db, actor = ui.acting(user)
zone = ZoneInfo(actor.tz)
en = current_lang() == "en"

st.caption(t("intake.subtitle"))
gen = st.session_state.setdefault("intake.gen", 0)  # bumped after a save: a fresh empty form


def k(name: str) -> str:
    return f"intake.{name}.{gen}"


saved = st.session_state.get("intake.saved")
if saved:
    st.success(t("intake.saved", code=saved["code"], first=fmt.dt(saved["first_response_due_at"], actor.tz),
                 resolve=fmt.dt(saved["resolve_due_at"], actor.tz)))
    if st.button(t("intake.open_saved", code=saved["code"]), key="intake.open_saved"):
        st.session_state["complaints.open_id"] = saved["id"]
        st.switch_page("pages/complaints.py")

choices = reads.intake_choices(db, actor)
projects, channels, cats = choices["projects"], choices["channels"], choices["categories"]
if projects.empty:
    st.info(t("common.no_data"))
    st.stop()
project_labels = {i: f"{c} {n}" for i, c, n in zip(projects["id"], projects["code"], projects["name"], strict=True)}

# ---- the choices that shape the form -------------------------------------------------------------
c1, c2, c3, c4 = st.columns([2, 2, 1, 2])
# No select is ever empty (None): Streamlit draws a clear (×) button on a select whose value is None
# (index=None, or a None option chosen), one more Tab stop after it. "Not picked" is the option
# NOT_PICKED instead, so that the Tab order is the form's order (tests/test_browser_intake.py).
NOT_PICKED = 0  # no id is 0
project_id = c1.selectbox(t("field.project") + " *", list(project_labels), key=k("project"),
                          format_func=project_labels.get, disabled=len(projects) == 1,
                          placeholder=t("common.choose"))
units = reads.units_of_project(db, actor, project_id)
unit_rows = {r["id"]: r for r in units.to_dict("records")}


def _fill_from_unit():
    """Picking a unit from the register fills the complainant from its current resident."""
    u = unit_rows.get(st.session_state.get(k("unit")))
    if u is None:
        return
    if u["resident"]:
        st.session_state[k("name")] = u["resident"]
    if u["resident_phone"]:
        st.session_state[k("phone")] = u["resident_phone"]
    if u["relation"]:
        st.session_state[k("relation")] = u["relation"]


unit_id = c2.selectbox(t("field.unit_pick"), [NOT_PICKED, *unit_rows], key=k("unit"), on_change=_fill_from_unit,
                       placeholder=t("common.choose"),
                       format_func=lambda v: t("intake.pick_unit_none") if v == NOT_PICKED else
                       f"{unit_rows[v]['code']}  {unit_rows[v]['resident'] or ''}") or None
parents = cats.drop_duplicates("parent_id")
parent_labels = dict(zip(parents["parent_id"], parents["parent_en" if en else "parent"], strict=True))
parent_id = c3.selectbox(t("field.category1") + " *", [NOT_PICKED, *parent_labels], key=k("cat1"),
                         placeholder=t("common.choose"),
                         format_func=lambda v: t("common.choose") if v == NOT_PICKED else parent_labels[v]) or None
subs = cats[cats["parent_id"] == parent_id] if parent_id is not None else cats.iloc[0:0]
sub_labels = dict(zip(subs["id"], subs["name_en" if en else "name"], strict=True))
category_id = c4.selectbox(t("field.category2") + " *", [NOT_PICKED, *sub_labels], key=k("cat2"),
                           placeholder=t("common.choose"),
                           format_func=lambda v: (t("common.choose") if sub_labels else t("intake.pick_category1_first"))
                           if v == NOT_PICKED else sub_labels[v]) or None

# ---- the register itself --------------------------------------------------------------------------
channel_labels = dict(zip(channels["id"], channels["name_en" if en else "name"], strict=True))
now_local = actor.now().astimezone(zone)
dups_key = f"intake.dups.{gen}"
dups = st.session_state.get(dups_key)  # possible duplicates found when saving was tried
with st.form(k("form"), clear_on_submit=False, enter_to_submit=True):
    p1, p2, p3, p4 = st.columns([1, 2, 2, 1])
    unit_text = p1.text_input(t("field.unit_text"), key=k("unit_text"), disabled=unit_id is not None,
                              max_chars=limits.UNIT)
    name = p2.text_input(t("field.complainant") + " *", key=k("name"), max_chars=limits.NAME)
    phone = p3.text_input(t("field.phone"), key=k("phone"), placeholder="13912345678 / 021-62345678",
                          max_chars=phones.MAX_CHARS)
    relation = p4.selectbox(t("field.relation"), list(complaints.RELATIONS), key=k("relation"),
                            format_func=lambda v: label(v, "relation"))
    r1, r2, r3, r4 = st.columns([2, 1, 1, 1])
    channel_id = r1.selectbox(t("field.channel") + " *", list(channel_labels), key=k("channel"),
                              format_func=channel_labels.get)
    # typed as text and parsed by csm.dates: a date picker silently moves 02-30 to 02-28
    rdate = r2.text_input(t("field.received_date") + " *", value=now_local.date().isoformat(), key=k("rdate"),
                          placeholder=t("date.placeholder"))
    rtime = r3.text_input(t("field.received_time") + " *", value=now_local.strftime("%H:%M"), key=k("rtime"),
                          placeholder=t("date.time_placeholder"))
    urgency = r4.radio(t("field.urgency"), ["normal", "urgent"], key=k("urgency"), horizontal=True,
                       format_func=lambda v: label(v, "urgency"))
    description = st.text_area(t("field.description") + " *", key=k("description"), height=150,
                               max_chars=limits.TEXT)  # the counter shows how much is left
    # no type= filter: the browser would drop a refused file without a word; the domain checks
    # every file by its content and refuses the save naming it
    files = st.file_uploader(t("field.attachments"), key=k("files"), accept_multiple_files=True)
    st.caption(t("intake.attach_help"))  # a caption, not help=: a tooltip icon would be one more Tab stop
    link_to, confirmed = None, True
    if dups:
        st.warning(t("intake.duplicates", n=len(dups)))
        for d in dups:
            st.caption(f"{d['code']} · {fmt.dt(d['received_at'], actor.tz)} · {label(d['status'], 'status')} · "
                       + ui.plain(f"{d['complainant_name']} · {d['description']}"))
        dup_codes = {d["id"]: d["code"] for d in dups}
        link_to = st.radio(t("intake.link_to"), [None, *dup_codes], key=k("link"),
                           format_func=lambda v: t("intake.no_link") if v is None else dup_codes[v])
        confirmed = st.checkbox(t("intake.confirm_duplicate"), key=k("dup_ok"))
    submitted = st.form_submit_button(t("intake.save"), type="primary")

if submitted:
    try:
        received_at = dates.past_moment(rdate, rtime, "received_date", "received_time", actor.tz,
                                        actor.now(), dates.years_allowed(db)).astimezone(UTC)
    except UserError as exc:  # the form keeps what was typed; nothing is saved
        ui.show_error(exc)
        submitted = False
if submitted:
    picked = unit_rows.get(unit_id)
    form = Intake(project_id=project_id, complainant_name=name, complainant_phone=phone, relation=relation,
                  channel_id=channel_id, category_id=category_id, description=description, received_at=received_at,
                  urgency=urgency, unit_id=unit_id, unit_text=unit_text,
                  resident_id=int(picked["resident_id"]) if picked and pd.notna(picked["resident_id"]) else None,
                  linked_to_id=link_to)
    found = reads.duplicates(db, actor, form)
    found_ids = sorted(found["id"].tolist())
    if found_ids and (not dups or sorted(d["id"] for d in dups) != found_ids):
        st.session_state[dups_key] = found.to_dict("records")  # shown in the form: tick to save anyway
        st.rerun()
    elif found_ids and not confirmed:
        st.error(t("intake.need_confirm"))
    else:
        attachments = [Attachment(f.name, f.getvalue(), f.type or "") for f in (files or [])]
        try:
            out = commands.file_complaint(db, actor, form, attachments)
            st.session_state["intake.saved"] = out
            st.session_state["intake.gen"] = gen + 1
            st.rerun()
        except UserError as exc:
            ui.show_error(exc)

# ---- my project's latest complaints ------------------------------------------------------------
st.divider()
st.caption(t("intake.recent"))
recent = reads.recent(db, actor, 10)
if not recent.empty:
    st.dataframe(recent.assign(received_at=recent["received_at"].map(lambda v: fmt.dt(v, actor.tz)),
                               status=labels(recent["status"], "status"))
                 .rename(columns={"code": t("field.code"), "received_at": t("field.received_at"),
                                  "status": t("field.status"), "project": t("field.project"),
                                  "unit_text": t("field.unit"), "complainant_name": t("field.complainant"),
                                  "summary": t("field.summary")}),
                 hide_index=True, width="stretch", key="intake.recent")
