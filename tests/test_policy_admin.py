"""Role matrix of the admin reads and commands (see tests/policy_matrix.py): the organisation grids
are read by administrators and head office, everything else is the administrator's alone."""

from __future__ import annotations

import pandas as pd

from csm.admin import commands, grids, holidays, reads
from tests.policy_matrix import Case, matrix_test


def _p001(db) -> int:
    return db.one("org/project_by_code", {"code": "P001"})["id"]


def _renamed(grid, db, column="name", params=None):
    """(base, edited) of a grid with the first row's `column` changed: a save that does something."""
    base = grids.load_grid(db, grid, params)
    edited = base.copy()
    edited.loc[0, column] = f"{edited.loc[0, column]}（改）"
    return base, edited


def _unchanged(grid, db, params=None):
    base = grids.load_grid(db, grid, params)
    return base, base.copy()


def _save(command, grid, column="name", unchanged=False):
    def call(db, a):
        base, edited = _unchanged(grid, db) if unchanged else _renamed(grid, db, column)
        return command(db, a, base, edited)
    return call


def _save_in_p001(command, grid, column):
    def call(db, a):
        params = {"project_id": _p001(db)}
        base, edited = _renamed(grid, db, column, params) if column else _unchanged(grid, db, params)
        return command(db, a, _p001(db), base, edited)
    return call


def _new_branch(db, a):
    base = grids.load_grid(db, grids.BRANCHES)
    edited = pd.concat([base, pd.DataFrame([{"code": "B09", "name": "新分公司", "active": True}])],
                       ignore_index=True)
    assert commands.save_branches(db, a, base, edited) == 1


def _sla_forward(db, a):
    base = grids.load_grid(db, grids.SLA)
    edited = base.copy()
    edited.loc[0, "forward_minutes"] = int(edited.loc[0, "forward_minutes"]) + 1
    assert commands.save_sla_settings(db, a, base, edited) == 1


def _calendar_start(db, a):
    from datetime import time

    base = grids.load_grid(db, grids.CALENDARS)
    edited = base.copy()
    edited.at[0, "work_start"] = time(8, 0) if base.loc[0, "work_start"] != time(8, 0) else time(8, 30)
    assert commands.save_calendars(db, a, base, edited) == 1


def _settings(db, a):
    values = {**grids.settings(db), "company_name": "新名称物业"}
    assert commands.save_settings(db, a, values) == 1


CASES = [
    # the organisation grids
    Case("admin.branches", lambda db, a: reads.branches(db, a), record=False),
    Case("admin.projects", lambda db, a: reads.projects(db, a), record=False),
    Case("admin.buildings", lambda db, a: reads.buildings(db, a, _p001(db))),
    Case("admin.units", lambda db, a: reads.units(db, a, _p001(db))),
    Case("admin.save_branches", _save(commands.save_branches, grids.BRANCHES), record=False),
    Case("admin.save_branches", _new_branch, record=False, id="admin.save_branches.new"),
    Case("admin.save_projects", _save(commands.save_projects, grids.PROJECTS), record=False),
    Case("admin.save_buildings", _save_in_p001(commands.save_buildings, grids.BUILDINGS, "name")),
    Case("admin.save_units", _save_in_p001(commands.save_units, grids.UNITS, None)),
    # reference data and settings
    Case("admin.departments", lambda db, a: reads.departments(db, a), record=False),
    Case("admin.categories", lambda db, a: reads.categories(db, a), record=False),
    Case("admin.channels", lambda db, a: reads.channels(db, a), record=False),
    Case("admin.sla_settings", lambda db, a: reads.sla_settings(db, a), record=False),
    Case("admin.calendars", lambda db, a: reads.calendars(db, a), record=False),
    Case("admin.calendar_overrides", lambda db, a: reads.calendar_overrides(db, a), record=False),
    Case("admin.holiday_years", lambda db, a: reads.holiday_years(db, a), record=False),
    Case("admin.settings", lambda db, a: reads.settings(db, a), record=False),
    Case("admin.save_departments", _save(commands.save_departments, grids.DEPARTMENTS), record=False),
    Case("admin.save_categories", _save(commands.save_categories, grids.CATEGORIES), record=False),
    Case("admin.save_channels", _save(commands.save_channels, grids.CHANNELS), record=False),
    Case("admin.save_sla_settings", _sla_forward, record=False),
    Case("admin.save_calendars", _calendar_start, record=False),
    Case("admin.save_calendar_overrides",
         _save(commands.save_calendar_overrides, grids.OVERRIDES, unchanged=True), record=False),
    Case("admin.import_holidays", lambda db, a: commands.import_holidays(
        db, a, holidays.TEMPLATE_CSV.encode("utf-8"), "holidays.csv"), record=False),
    Case("admin.save_settings", _settings, record=False),
    # users
    Case("admin.users", lambda db, a: reads.user_list(db, a), record=False),
    Case("admin.user", lambda db, a: reads.user(db, a, "clerk1"), record=False),
    Case("admin.create_user", lambda db, a: commands.create_user(
        db, a, "newclerk", "新助理", "Sx9#kefu-Qm", "clerk", "project", _p001(db)), record=False),
    Case("admin.update_user", lambda db, a: commands.update_user(
        db, a, "clerk2", "客服助理 刘洋（改）", "clerk", "project",
        db.one("org/project_by_code", {"code": "P003"})["id"]), record=False),
    Case("admin.reset_password", lambda db, a: commands.reset_password(db, a, "clerk2", "Sx9#kefu-Qm"),
         record=False),
    Case("admin.unlock_user", lambda db, a: commands.unlock_user(db, a, "clerk2"), record=False),
    # audit log
    Case("admin.audit_choices", lambda db, a: reads.audit_choices(db, a), record=False),
    Case("admin.audit_search", lambda db, a: reads.audit_search(db, a, None, None, "user"), record=False),
]

test_role_matrix = matrix_test(CASES)
