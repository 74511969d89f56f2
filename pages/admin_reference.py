"""Reference data: departments, complaint categories, channels, time limits, working calendars,
company settings."""

from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from csm import admin, dates
from csm.admin import commands, holidays, reads
from csm.errors import UserError
from csm.i18n import t
from csm.web import ui
from csm.web.grid import grid_editor

user = ui.guard("admin_reference")
db, actor = ui.acting(user)
ui.calendar_notice(user)
col = st.column_config


def f(name: str) -> str:
    return t(f"admin.field.{name}")


def saver(command):
    return lambda base, edited: command(db, actor, base, edited)


departments = reads.departments(db, actor)
department_label = dict(zip(departments["id"], departments["name"], strict=True))
branches = reads.branches(db, actor)
branch_label = {admin.ALL_BRANCHES: t("admin.all_branches"),
                **dict(zip(branches["id"], branches["code"] + " " + branches["name"], strict=True))}

# Only the open tab runs (and is sent): switching tabs reruns the page (issue 13, the 57 KB page).
tabs = st.tabs([t("admin.ref.departments"), t("admin.ref.categories"), t("admin.ref.channels"),
                t("admin.ref.sla"), t("admin.ref.calendar"), t("admin.ref.settings")],
               key="admin_reference.tab", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        st.caption(t("admin.grid_help") + " " + t("admin.code_fixed_help"))
        grid_editor(
            "admin_reference.departments", lambda: reads.departments(db, actor), saver(commands.save_departments),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "name": col.TextColumn(f("name"), required=True), "name_en": col.TextColumn(f("name_en"), required=True),
             "level": col.SelectboxColumn(f("level"), options=admin.DEPARTMENT_LEVELS, required=True, default="project",
                                          format_func=lambda v: t(f"admin.level.{v}")),
             "active": col.CheckboxColumn(f("active"), default=True)},
        )

with tabs[1]:
    if tabs[1].open:
        st.caption(t("admin.ref.categories_help"))
        categories = reads.categories(db, actor)
        top_codes = categories.loc[categories["parent"].isna(), "code"].tolist()
        grid_editor(
            "admin_reference.categories", lambda: reads.categories(db, actor), saver(commands.save_categories),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "parent": col.SelectboxColumn(f("parent"), options=top_codes),
             "name": col.TextColumn(f("name"), required=True), "name_en": col.TextColumn(f("name_en"), required=True),
             "default_department_id": col.SelectboxColumn(f("default_department_id"), options=list(department_label),
                                                          format_func=lambda v: department_label.get(v, str(v))),
             "sort": col.NumberColumn(f("sort"), min_value=0, step=1, format="%d", default=0),
             "active": col.CheckboxColumn(f("active"), default=True)},
        )

with tabs[2]:
    if tabs[2].open:
        st.caption(t("admin.grid_help") + " " + t("admin.code_fixed_help"))
        grid_editor(
            "admin_reference.channels", lambda: reads.channels(db, actor), saver(commands.save_channels),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "name": col.TextColumn(f("name"), required=True), "name_en": col.TextColumn(f("name_en"), required=True),
             "origin": col.SelectboxColumn(f("origin"), options=admin.CHANNEL_ORIGINS, required=True,
                                           default="resident", format_func=lambda v: t(f"admin.origin.{v}")),
             "active": col.CheckboxColumn(f("active"), default=True)},
        )

with tabs[3]:
    if tabs[3].open:
        st.caption(t("admin.ref.sla_help"))
        grid_editor(
            "admin_reference.sla", lambda: reads.sla_settings(db, actor), saver(commands.save_sla_settings),
            {"id": None,
             "grade": col.SelectboxColumn(f("grade"), options=admin.GRADES, format_func=lambda v: t(f"admin.grade.{v}")),
             "urgency": col.SelectboxColumn(f("urgency"), options=admin.URGENCIES,
                                            format_func=lambda v: t(f"admin.urgency.{v}")),
             "forward_minutes": col.NumberColumn(f("forward_minutes"), min_value=1, step=1, format="%d"),
             "first_response_hours": col.NumberColumn(f("first_response_hours"), min_value=1, step=1, format="%d"),
             "resolve_hours": col.NumberColumn(f("resolve_hours"), min_value=1, step=1, format="%d")},
            num_rows="fixed", disabled=["grade", "urgency"],
        )

with tabs[4]:
    if tabs[4].open:
        st.subheader(t("admin.ref.calendars"))
        st.caption(t("admin.ref.calendars_help"))
        grid_editor(
            "admin_reference.calendars", lambda: reads.calendars(db, actor), saver(commands.save_calendars),
            {"id": None, "branch": col.TextColumn(f("branch")),
             "enabled": col.CheckboxColumn(f("enabled")),
             "work_start": col.TimeColumn(f("work_start"), format="HH:mm", step=300),
             "work_end": col.TimeColumn(f("work_end"), format="HH:mm", step=300),
             "weekdays": col.MultiselectColumn(f("weekdays"), options=admin.WEEKDAYS,
                                               format_func=lambda v: t(f"admin.weekday.{v}")),
             "use_chinese_holidays": col.CheckboxColumn(f("use_chinese_holidays"))},
            num_rows="fixed", disabled=["branch"],
        )
        st.subheader(t("calendar.years.title"))
        years_box = st.container()  # filled after an import below

        st.subheader(t("calendar.import.title"))
        st.caption(t("calendar.import.help"))
        with st.form("admin_reference.calendar_import", clear_on_submit=False):
            upload = st.file_uploader(t("calendar.import.file"), type=["csv", "xlsx"],
                                      key="admin_reference.calendar_file")
            do_import = st.form_submit_button(t("calendar.import.submit"), type="primary")
        st.download_button(t("calendar.import.template"), data=holidays.TEMPLATE_CSV.encode("utf-8-sig"),
                           file_name="holidays.csv", mime="text/csv", key="admin_reference.calendar_template")
        if do_import:
            try:
                if upload is None:
                    raise UserError("error.required", field="holiday_file")
                added, skipped = commands.import_holidays(db, actor, upload.getvalue(), upload.name)
            except UserError as exc:
                ui.show_error(exc)
            else:
                st.success(t("calendar.import.done", added=added, skipped=skipped))
        years = pd.DataFrame([{t("calendar.years.year"): str(y.year),
                               t("calendar.years.source"): t(f"calendar.source.{y.source}"),
                               t("calendar.years.entered"): y.entered} for y in reads.holiday_years(db, actor)])
        years_box.dataframe(years, hide_index=True, width="content", key="admin_reference.calendar_years")

        st.subheader(t("admin.ref.overrides"))
        grid_editor(
            "admin_reference.overrides", lambda: reads.calendar_overrides(db, actor), saver(commands.save_calendar_overrides),
            {"id": None,
             "branch_id": col.SelectboxColumn(f("branch_id"), options=list(branch_label), required=True,
                                              default=admin.ALL_BRANCHES, format_func=lambda v: branch_label.get(v, str(v))),
             "day": col.DateColumn(f("day"), format="YYYY-MM-DD", required=True),
             "kind": col.SelectboxColumn(f("kind"), options=admin.OVERRIDE_KINDS, required=True, default="holiday",
                                         format_func=lambda v: t(f"admin.override.{v}")),
             "note": col.TextColumn(f("note"), width="large")},
        )

with tabs[5]:
    if tabs[5].open:
        current = reads.settings(db, actor)
        zones = sorted(available_timezones())
        with st.form("admin_reference.settings_form", clear_on_submit=False):
            company = st.text_input(f("company_name"), value=current.get("company_name", ""),
                                    key="admin_reference.company_name")
            tz_now = current.get("timezone", actor.tz)
            tz = st.selectbox(f("timezone"), zones, index=zones.index(tz_now) if tz_now in zones else None,
                              key="admin_reference.timezone", placeholder=t("common.choose"))
            c1, c2 = st.columns(2)
            attempts = c1.number_input(f("lockout_attempts"), value=int(current.get("lockout_attempts", 5)),
                                       step=1, key="admin_reference.lockout_attempts")
            minutes = c2.number_input(f("lockout_minutes"), value=int(current.get("lockout_minutes", 15)),
                                      step=1, key="admin_reference.lockout_minutes")
            s1, s2, s3 = st.columns([1, 1, 2])
            max_years = s2.number_input(f(dates.YEARS_SETTING),
                                        value=int(current.get(dates.YEARS_SETTING, dates.DEFAULT_YEARS)), step=1,
                                        key="admin_reference.max_years")
            min_answered = s1.number_input(f("survey.min_answered_items"),
                                           value=int(current.get("survey.min_answered_items", 15)), step=1,
                                           key="admin_reference.min_answered_items")
            public_url = s3.text_input(f("public_base_url"), value=current.get("public_base_url", ""),
                                       placeholder="https://kf.example.com", key="admin_reference.public_base_url")
            submitted = st.form_submit_button(t("common.save"), type="primary")
        if submitted:
            try:
                n = commands.save_settings(db, actor, {"company_name": company, "timezone": tz,
                                                    "lockout_attempts": attempts, "lockout_minutes": minutes,
                                                    "survey.min_answered_items": min_answered,
                                                    "public_base_url": public_url,
                                                    dates.YEARS_SETTING: max_years})
            except UserError as exc:
                ui.show_error(exc)
            else:
                if n:
                    st.success(t("admin.ref.settings_saved", n=n))
                else:
                    st.info(t("admin.no_changes"))
