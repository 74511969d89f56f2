"""Residents within my scope; phones masked outside the resident's own project."""

import streamlit as st

from csm import dates, exports, fmt, limits, phones, policy, revisits
from csm.errors import UserError
from csm.i18n import label, labels, t
from csm.org import reads
from csm.web import ui

LIMIT = reads.RESIDENTS_LIMIT

user = ui.guard("residents")
db, actor = ui.acting(user)

project_names = {p["id"]: p["name"] for p in reads.projects(db, actor)}
c1, c2 = st.columns([1, 2])
project_id = c1.selectbox(
    t("residents.project"), options=[None, *project_names],
    format_func=lambda v: t("residents.all_projects") if v is None
    else project_names[v],
    placeholder=t("common.choose"), key="residents.project",
)
q = c2.text_input(t("residents.search"), key="residents.q", placeholder=t("residents.search_hint"))

df = reads.residents(db, actor, q, project_id, limit=LIMIT + 1)
if df.empty:
    st.info(t("common.no_data"))
else:
    if len(df) > LIMIT:
        st.caption(t("common.showing_first", n=LIMIT))
        df = df.head(LIMIT)
    df["relation"] = labels(df["relation"], "relation")
    st.dataframe(
        fmt.blank_missing(df.drop(columns=["id"])), hide_index=True, width="stretch",
        column_config={
            "branch": t("field.branch"), "project": t("field.project"),
            "building": t("field.building"), "unit": t("field.unit"),
            "name": t("field.resident_name"), "relation": t("field.relation"),
            "phone": t("field.phone"),
            "moved_in_on": st.column_config.DateColumn(t("field.moved_in_on"), format="YYYY-MM-DD"),
        },
    )
    ui.downloads("residents.export", lambda: exports.build("residents", db, actor, exports.Request(
        options={"q": q, "project_id": project_id})), rows=len(df) if len(df) < LIMIT else None, choice=(q, project_id))

# ---- a resident moves in: recorded with the move-in revisit (due within a month) -----------------
if policy.allows(actor, "revisits.record_move_in"):
    st.subheader(t("residents.move_in"))
    st.caption(t("residents.move_in_help"))
    mp = st.selectbox(t("field.project"), list(project_names), format_func=project_names.get,
                      placeholder=t("common.choose"), key="residents.mi_project", disabled=len(project_names) == 1)
    unit_codes = {u["id"]: u["code"] for u in reads.units(db, actor, mp)} if mp is not None else {}
    with st.form("residents.move_in_form", clear_on_submit=False):
        f1, f2, f3, f4, f5 = st.columns([1, 1, 1, 1, 1])
        mi_unit = f1.selectbox(t("field.unit"), list(unit_codes), index=None, placeholder=t("common.choose"),
                               format_func=unit_codes.get, key=f"residents.mi_unit.{mp}")  # per project: no stale unit
        mi_name = f2.text_input(t("field.resident_name"), key="residents.mi_name", max_chars=limits.NAME)
        mi_phone = f3.text_input(t("field.phone"), key="residents.mi_phone", max_chars=phones.MAX_CHARS)
        mi_relation = f4.selectbox(t("field.relation"), list(phones.RELATIONS),
                                   format_func=lambda v: label(v, "relation"), placeholder=t("common.choose"), key="residents.mi_relation")
        mi_day = f5.text_input(t("field.moved_in_on"), value=actor.today().isoformat(), key="residents.mi_day",
                               placeholder=t("date.placeholder"))  # text: a date picker moves 02-30 silently
        mi_save = st.form_submit_button(t("residents.move_in_save"), type="primary")
    if mi_save:
        try:
            moved_in_on = dates.past_date(mi_day, "moved_in_on", actor.today(), dates.years_allowed(db))
            out = revisits.commands.record_move_in(db, actor, project_id=mp, unit_id=mi_unit,
                                                   name=mi_name, phone=mi_phone, relation=mi_relation,
                                                   moved_in_on=moved_in_on)
            st.success(ui.plain_t("residents.move_in_saved", name=mi_name.strip(), due=fmt.dt(out["due_at"], actor.tz)))
        except UserError as exc:
            ui.show_error(exc)
