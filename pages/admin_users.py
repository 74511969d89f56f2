"""Users: list, create, edit role / scope / department / active, reset a password, unlock."""

import streamlit as st

from csm import exports
from csm.admin import commands, reads
from csm.errors import UserError
from csm.i18n import label, labels, t
from csm.org import users
from csm.web import ui

FLASH = "admin_users.flash"  # the message of the last change, shown after the rerun

user = ui.guard("admin_users")
db, actor = ui.acting(user)

flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(ui.plain(flash))  # it names what was typed (a display name)

branches = reads.branches(db, actor)
projects = reads.projects(db, actor)
departments = reads.departments(db, actor)
# One picker for the scope: "group", "branch:<id>" or "project:<id>".
scope_label = {"group": t("scope.group")}
scope_label |= {f"branch:{i}": t("scope.describe", kind=t("scope.branch"), name=f"{c} {n}")
                for i, c, n in branches[["id", "code", "name"]].itertuples(index=False)}
scope_label |= {f"project:{i}": t("scope.describe", kind=t("scope.project"), name=f"{c} {n}")
                for i, c, n in projects[["id", "code", "name"]].itertuples(index=False)}
department_label = {None: t("admin.none"), **dict(zip(departments["id"], departments["name"], strict=True))}


def split_scope(choice: str | None) -> tuple[str, int | None]:
    if not choice or choice == "group":
        return "group", None
    kind, _, sid = choice.partition(":")
    return kind, int(sid)


def done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


listing = reads.user_list(db, actor)  # `locked` as csm.org.users decides it
listing["role"] = labels(listing["role"], "role")
listing["scope"] = [t("scope.group") if k == "group" else t("scope.describe", kind=t(f"scope.{k}"), name=n or "?")
                    for k, n in zip(listing["scope_kind"], listing["scope_name"], strict=True)]
st.subheader(t("admin.users.list"))
st.dataframe(
    listing.assign(department=listing["department"].fillna("")),  # no department: empty, not "None"
    hide_index=True, width="stretch",
    column_order=["username", "display_name", "role", "scope", "department", "active", "locked",
                  "failed_attempts", "created_at"],
    column_config={
        "username": t("field.username"), "display_name": t("field.display_name"), "role": t("field.role"),
        "scope": t("admin.users.scope"), "department": t("admin.users.department"),
        "active": st.column_config.CheckboxColumn(t("admin.users.active")),
        "locked": st.column_config.CheckboxColumn(t("admin.users.locked")),
        "failed_attempts": t("admin.users.failed"),
        "created_at": st.column_config.DatetimeColumn(t("admin.users.created_at"), format="YYYY-MM-DD HH:mm",
                                                      timezone=actor.tz),
    },
)
ui.downloads("admin_users.export", lambda: exports.build("users", db, actor), rows=len(listing))

# Only the open tab runs: each form lists every branch and project as a scope (issue 13).
tab_new, tab_edit = st.tabs([t("admin.users.create"), t("admin.users.edit")], key="admin_users.tab", on_change="rerun")

if tab_new.open:
    with tab_new, st.form("admin_users.create_form", clear_on_submit=False):
        c1, c2 = st.columns(2)
        username = c1.text_input(t("field.username"), key="admin_users.new.username")
        display_name = c2.text_input(t("field.display_name"), key="admin_users.new.display_name")
        c3, c4 = st.columns(2)
        role = c3.selectbox(t("field.role"), users.ROLES, format_func=lambda v: label(v, "role"),
                            placeholder=t("common.choose"), key="admin_users.new.role")
        scope = c4.selectbox(t("admin.users.scope"), list(scope_label), format_func=scope_label.get,
                             placeholder=t("common.choose"), key="admin_users.new.scope")
        c5, c6 = st.columns(2)
        department = c5.selectbox(t("admin.users.department"), list(department_label),
                                  format_func=department_label.get, placeholder=t("common.choose"), key="admin_users.new.department")
        password = c6.text_input(t("admin.users.initial_password"), type="password", key="admin_users.new.password")
        create = st.form_submit_button(t("admin.users.create"), type="primary")
    if create:
        kind, scope_id = split_scope(scope)
        try:
            commands.create_user(db, actor, username, display_name, password, role, kind, scope_id,
                                 department_id=department)
        except UserError as exc:
            with tab_new:
                ui.show_error(exc)
        else:
            done(t("admin.users.created", username=username.strip()))

if tab_edit.open:
    with tab_edit:
        usernames = listing["username"].tolist()
        user_names = dict(zip(listing["username"], listing["display_name"], strict=True))
        picked = st.selectbox(t("admin.users.pick"), usernames, placeholder=t("common.choose"), key="admin_users.pick",
                              format_func=lambda u: f"{u} · {user_names[u]}")
        target = reads.user(db, actor, picked) if picked else None
        if target is not None:
            k = f"admin_users.edit.{picked}"
            current_scope = "group" if target["scope_kind"] == "group" else f"{target['scope_kind']}:{target['scope_id']}"
            with st.form(f"{k}.form", clear_on_submit=False):
                e1, e2 = st.columns(2)
                name = e1.text_input(t("field.display_name"), value=target["display_name"], key=f"{k}.display_name")
                erole = e2.selectbox(t("field.role"), users.ROLES, index=users.ROLES.index(target["role"]),
                                     format_func=lambda v: label(v, "role"), placeholder=t("common.choose"), key=f"{k}.role")
                e3, e4 = st.columns(2)
                options = list(scope_label)
                escope = e3.selectbox(t("admin.users.scope"), options, format_func=scope_label.get, placeholder=t("common.choose"), key=f"{k}.scope",
                                      index=options.index(current_scope) if current_scope in options else 0)
                dept_options = list(department_label)
                edept = e4.selectbox(t("admin.users.department"), dept_options, format_func=department_label.get,
                                     index=dept_options.index(target["department_id"])
                                     if target["department_id"] in dept_options else 0, placeholder=t("common.choose"), key=f"{k}.department")
                eactive = st.checkbox(t("admin.users.active"), value=bool(target["active"]), key=f"{k}.active")
                save = st.form_submit_button(t("common.save"), type="primary")
            if save:
                kind, scope_id = split_scope(escope)
                try:
                    commands.update_user(db, actor, picked, name, erole, kind, scope_id, department_id=edept,
                                         active=eactive)
                except UserError as exc:
                    ui.show_error(exc)
                else:
                    done(t("admin.users.updated", username=picked))

            with st.form(f"{k}.reset_form", clear_on_submit=True):
                new_password = st.text_input(t("admin.users.new_password"), type="password", key=f"{k}.new_password")
                st.caption(t("admin.users.reset_note"))
                reset = st.form_submit_button(t("admin.users.reset"))
            if reset:
                try:
                    commands.reset_password(db, actor, picked, new_password)
                except UserError as exc:
                    ui.show_error(exc)
                else:
                    done(t("admin.users.reset_done", username=picked))

            if target["can_unlock"]:  # the rule is csm.org.users.can_unlock
                if st.button(t("admin.users.unlock"), key=f"{k}.unlock"):
                    commands.unlock_user(db, actor, picked)
                    done(t("admin.users.unlocked", username=picked))
            else:
                st.caption(t("admin.users.not_locked"))
