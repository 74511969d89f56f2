"""Organisation: branches, projects, and each project's buildings and units (admin edits, head office reads)."""

import streamlit as st

from csm import admin, policy
from csm.admin import commands, reads
from csm.i18n import t
from csm.web import ui
from csm.web.grid import grid_editor

user = ui.guard("admin_org")
db, actor = ui.acting(user)
read_only = not policy.allows(actor, "admin.save_branches")
col = st.column_config


def f(name: str) -> str:
    return t(f"admin.field.{name}")


st.caption(t("admin.read_only") if read_only else t("admin.grid_help") + " " + t("admin.code_fixed_help"))
branches = reads.branches(db, actor)
branch_label = dict(zip(branches["id"], branches["code"] + " " + branches["name"], strict=True))

# Only the open tab runs (the units tab reads a project's thousand units): switching tabs reruns.
tab_branches, tab_projects, tab_units = st.tabs(
    [t("admin.org.branches"), t("admin.org.projects"), t("admin.org.buildings_units")],
    key="admin_org.tab", on_change="rerun")

if tab_branches.open:
    with tab_branches:
        grid_editor(
            "admin_org.branches", lambda: reads.branches(db, actor),
            lambda base, edited: commands.save_branches(db, actor, base, edited),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "name": col.TextColumn(f("name"), required=True),
             "active": col.CheckboxColumn(f("active"), default=True),
             "projects": col.NumberColumn(f("projects"), disabled=True)},
            read_only=read_only,
        )

if tab_projects.open:
    with tab_projects:
        if not read_only:
            st.caption(t("admin.org.move_help"))
        grid_editor(
            "admin_org.projects", lambda: reads.projects(db, actor),
            lambda base, edited: commands.save_projects(db, actor, base, edited),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "name": col.TextColumn(f("name"), required=True, width="medium"),
             "project_type": col.SelectboxColumn(f("project_type"), options=admin.PROJECT_TYPES, required=True,
                                                 default="residential",
                                                 format_func=lambda v: t(f"admin.project_type.{v}")),
             "address": col.TextColumn(f("address"), width="medium"),
             "households": col.NumberColumn(f("households"), min_value=0, step=1, format="%d"),
             "units": col.NumberColumn(f("units"), disabled=True),
             "branch_id": col.SelectboxColumn(f("branch_id"), options=list(branch_label), required=True,
                                              format_func=lambda v: branch_label.get(v, str(v))),
             "active": col.CheckboxColumn(f("active"), default=True)},
            read_only=read_only,
        )

if tab_units.open:
    with tab_units:
        projects = reads.projects(db, actor)
        if projects.empty:
            st.info(t("admin.org.no_projects"))
        else:
            labels = dict(zip(projects["id"], projects["code"] + " " + projects["name"], strict=True))
            project_id = st.selectbox(t("admin.org.pick_project"), list(labels), placeholder=t("common.choose"), key="admin_org.project",
                                      format_func=lambda v: labels[v])
            st.subheader(t("admin.org.buildings"))
            grid_editor(
                f"admin_org.buildings.{project_id}", lambda: reads.buildings(db, actor, project_id),
                lambda base, edited: commands.save_buildings(db, actor, project_id, base, edited),
                {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
                 "name": col.TextColumn(f("name"), required=True),
                 "units": col.NumberColumn(f("units"), disabled=True)},
                read_only=read_only,
            )
            st.subheader(t("admin.org.units"))
            if not read_only:
                st.caption(t("admin.org.units_help"))
            buildings = reads.buildings(db, actor, project_id)
            building_label = dict(zip(buildings["id"], buildings["name"], strict=True))
            grid_editor(
                f"admin_org.units.{project_id}", lambda: reads.units(db, actor, project_id),
                lambda base, edited: commands.save_units(db, actor, project_id, base, edited),
                {"id": None,
                 "building_id": col.SelectboxColumn(f("building_id"), options=list(building_label), required=True,
                                                    format_func=lambda v: building_label.get(v, str(v))),
                 "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
                 "floor": col.NumberColumn(f("floor"), step=1, format="%d"),
                 "area_m2": col.NumberColumn(f("area_m2"), min_value=0.0, format="%.2f")},
                read_only=read_only,
            )
