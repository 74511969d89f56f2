"""Repairs and paid services: the list (filters, Excel/CSV), and for clerks and supervisors record a
completed service (its revisit is created) or import them."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from csm import dates, exports, fmt, limits, phones, policy, revisits
from csm.errors import UserError
from csm.i18n import label, t
from csm.org import reads as org_reads
from csm.revisits import commands, reads
from csm.web import ui
from csm.web.cache import cached

SHOWN_MAX = 500  # rows drawn in the table (the newest); the downloads hold every row of the choice


def _service_table(db, actor, first, last, project_id, service_type, limit=None):
    """The list's rows (csm.exports, the same as the downloads; the table: the newest `limit`),
    cached per data version, scope and choice: head office's 30 days are tens of thousands of rows,
    read whole only when a download is asked for."""
    return exports.build("service_records", db, actor, exports.Request(
        first, last, {"project_id": project_id, "service_type": service_type, "limit": limit}))

user = ui.guard("service_records")
db, actor = ui.acting(user)
zone = ZoneInfo(actor.tz)
may_record = policy.allows(actor, "revisits.record_service")  # managers and head office: the list only
tabs = st.tabs([t("service.list"), *([t("service.new"), t("service.import")] if may_record else [])])


if may_record:
    choices = reads.service_choices(db, actor)
    project_names = {p["id"]: p["name"] for p in choices["projects"]}
    department_labels = {d["id"]: d["label"] for d in choices["departments"]}
    tab_new, tab_import = tabs[1], tabs[2]
    with tab_new, st.form("service.form", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        project_id = c1.selectbox(t("field.project"), list(project_names), key="service.project",
                                  placeholder=t("common.choose"), format_func=project_names.get)
        unit = c2.text_input(t("field.unit"), key="service.unit", max_chars=limits.UNIT)
        stype = c3.selectbox(t("field.service_type"), revisits.SERVICE_TYPES, key="service.type",
                             placeholder=t("common.choose"), format_func=lambda v: label(v, "service_type"))
        d1, d2, d3 = st.columns(3)
        resident = d1.text_input(t("field.resident_name"), key="service.resident", max_chars=limits.NAME)
        phone = d2.text_input(t("field.phone"), key="service.phone", max_chars=phones.MAX_CHARS)
        dept = d3.selectbox(t("field.department"), [None, *department_labels], key="service.department",
                            placeholder=t("common.choose"), format_func=lambda v: "" if v is None else department_labels[v])
        e1, e2, e3, e4 = st.columns(4)
        local_now = actor.now().astimezone(zone)
        # typed as text and parsed by csm.dates: a date picker silently moves 02-30 to 02-28
        day = e1.text_input(t("field.completed_at"), value=local_now.date().isoformat(), key="service.day",
                            placeholder=t("date.placeholder"))
        at = e2.text_input(" ", value=local_now.strftime("%H:%M"), key="service.time",
                           placeholder=t("date.time_placeholder"))
        by = e3.text_input(t("field.completed_by"), key="service.by", max_chars=limits.NAME)
        ref = e4.text_input(t("field.external_ref"), key="service.ref", max_chars=limits.REF)
        description = st.text_area(t("field.description"), key="service.description", max_chars=limits.TEXT)
        submitted = st.form_submit_button(t("common.save"), type="primary")
    if submitted:
        try:
            completed = dates.past_moment(day, at, "completed_at", "completed_at", actor.tz, actor.now(),
                                          dates.years_allowed(db)).astimezone(UTC)
        except UserError as exc:  # the form keeps what was typed; nothing is saved
            with tab_new:
                ui.show_error(exc)
            submitted = False
    if submitted:
        rec = revisits.ServiceRecord(project_id=project_id, service_type=stype, completed_at=completed,
                                     description=description, unit_text=unit.strip() or None,
                                     resident_name=resident.strip() or None, resident_phone=phone.strip() or None,
                                     department_id=dept, completed_by=by.strip() or None,
                                     external_ref=ref.strip() or None)
        try:
            rid = commands.record_service(db, actor, rec)
            tab_new.success(t("service.saved", due=fmt.dt(reads.service_due(db, actor, rid), actor.tz)))
        except UserError as exc:
            with tab_new:
                ui.show_error(exc)

    with tab_import:
        st.caption(t("service.import_help"))
        st.download_button(t("service.template"), reads.import_template(db, actor), file_name="服务记录导入模板.xlsx",
                           key="service.template")
        upload = st.file_uploader(t("service.import"), type=["xlsx", "csv"], key="service.upload")
        if upload is not None and st.button(t("service.import"), key="service.import_btn", type="primary"):
            try:
                with ui.import_progress(upload.name) as progress:
                    saved = commands.import_service_records(db, actor, upload.getvalue(), upload.name,
                                                            progress=progress)
                st.success(t("revisit.import.done", n=len(saved)))
                if saved.samples:
                    st.info(t("import.samples_skipped", rows="、".join(map(str, saved.samples))))
            except UserError as exc:
                ui.show_error(exc)


# ---- the list (issue 11): filters within the scope, the rows shown = the rows downloaded ----------
# Drawn last into its tab (the first): a record saved or imported above in this same run is in it.
with tabs[0]:
    today = actor.today()
    f1, f2, f3 = st.columns([2, 1, 2])
    projects = {p["id"]: p["name"] for p in org_reads.projects(db, actor)}
    list_project = f1.selectbox(t("field.project"), [None, *projects], key="service.list.project",
                                format_func=lambda v: t("service_list.project_all") if v is None else projects[v])
    list_type = f2.selectbox(t("field.service_type"), [None, *revisits.SERVICE_TYPES], key="service.list.type",
                             format_func=lambda v: t("service_list.type_all") if v is None else label(v, "service_type"))
    recent = (today - timedelta(days=29), today)  # the last 30 days: on the 1st, "this month" was one day
    picked = f3.date_input(t("service_list.period"), value=recent, key="service.list.range",
                           max_value=today, format="YYYY-MM-DD")
    first, last = (picked if isinstance(picked, tuple) and len(picked) == 2 else recent)
    try:
        table = cached(_service_table, db, actor, first, last, list_project, list_type, SHOWN_MAX)
        total = cached(reads.service_count, db, actor, first, last, list_project, list_type)
        if total > SHOWN_MAX:
            st.caption(t("service_list.shown_part", n=total, shown=SHOWN_MAX))
        else:
            st.caption(t("service_list.shown", n=total))
        head = table.frame  # the newest SHOWN_MAX
        if head.empty:  # said in words: an empty grid only shows Streamlit's own English "empty"
            st.info(t("service_list.none"))
        else:
            frame = head.assign(completed_at=head["completed_at"].map(lambda v: fmt.dt(v, actor.tz)))
            st.dataframe(frame[list(table.headers)].rename(columns=table.headers).astype(object).fillna(""),
                         hide_index=True, width="stretch", key="service.list.table")
        if total:  # nothing to download from an empty choice: the message above says so
            ui.downloads("service.list", lambda: _service_table(db, actor, first, last, list_project, list_type),
                         rows=total, stem=f"service_records_{first}_{last}",
                         choice=(list_project, list_type, first, last))
    except UserError as exc:
        ui.show_error(exc)
