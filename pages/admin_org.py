"""Organisation: branches, projects, and each project's buildings and units (admin edits, head office reads)."""

import streamlit as st

from csm import admin, ui
from csm.i18n import t

user = ui.guard("admin_org")
db = ui.get_db()
actor = user["username"]
read_only = user["role"] != "admin"
col = st.column_config


def f(name: str) -> str:
    return t(f"admin.field.{name}")


st.caption(t("admin.read_only") if read_only else t("admin.grid_help") + " " + t("admin.code_fixed_help"))
branches = db.df("admin_branches")
branch_label = dict(zip(branches["id"], branches["code"] + " " + branches["name"], strict=True))

tab_branches, tab_projects, tab_units = st.tabs(
    [t("admin.org.branches"), t("admin.org.projects"), t("admin.org.buildings_units")])

with tab_branches:
    admin.grid_editor(
        "admin_org.branches", lambda: admin.load_grid(db, admin.BRANCHES),
        lambda base, edited: admin.save_grid(db, actor, admin.BRANCHES, base, edited),
        {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
         "name": col.TextColumn(f("name"), required=True),
         "active": col.CheckboxColumn(f("active"), default=True),
         "projects": col.NumberColumn(f("projects"), disabled=True)},
        read_only=read_only,
    )

with tab_projects:
    if not read_only:
        st.caption(t("admin.org.move_help"))
    admin.grid_editor(
        "admin_org.projects", lambda: admin.load_grid(db, admin.PROJECTS),
        lambda base, edited: admin.save_grid(db, actor, admin.PROJECTS, base, edited),
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

with tab_units:
    projects = db.df("admin_projects")
    if projects.empty:
        st.info(t("admin.org.no_projects"))
    else:
        labels = dict(zip(projects["id"], projects["code"] + " " + projects["name"], strict=True))
        project_id = st.selectbox(t("admin.org.pick_project"), list(labels), placeholder=t("common.choose"), key="admin_org.project",
                                  format_func=lambda v: labels[v])
        params = {"project_id": project_id}
        st.subheader(t("admin.org.buildings"))
        admin.grid_editor(
            f"admin_org.buildings.{project_id}", lambda: admin.load_grid(db, admin.BUILDINGS, params),
            lambda base, edited: admin.save_grid(db, actor, admin.BUILDINGS, base, edited, params),
            {"id": None, "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "name": col.TextColumn(f("name"), required=True),
             "units": col.NumberColumn(f("units"), disabled=True)},
            read_only=read_only,
        )
        st.subheader(t("admin.org.units"))
        if not read_only:
            st.caption(t("admin.org.units_help"))
        buildings = db.df("admin_buildings", params)
        building_label = dict(zip(buildings["id"], buildings["name"], strict=True))
        admin.grid_editor(
            f"admin_org.units.{project_id}", lambda: admin.load_grid(db, admin.UNITS, params),
            lambda base, edited: admin.save_grid(db, actor, admin.UNITS, base, edited, params),
            {"id": None,
             "building_id": col.SelectboxColumn(f("building_id"), options=list(building_label), required=True,
                                                format_func=lambda v: building_label.get(v, str(v))),
             "code": col.TextColumn(f("code"), required=True, max_chars=admin.CODE_MAX),
             "floor": col.NumberColumn(f("floor"), step=1, format="%d"),
             "area_m2": col.NumberColumn(f("area_m2"), min_value=0.0, format="%.2f")},
            read_only=read_only,
        )
