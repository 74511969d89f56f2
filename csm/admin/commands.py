"""Every save the admin screens run: each grid (validated as a whole, applied in one transaction
with an audit row per change: csm.admin.grids), the company settings, the holiday import and the
user accounts (csm.org.users' rules). Administrators only (csm.policy); the actor's username is what
history and audit record."""

from __future__ import annotations

import pandas as pd

from csm import policy
from csm.actor import Actor
from csm.admin import grids, holidays
from csm.db import Database
from csm.org import users


def _save(db: Database, actor: Actor, grid: grids.Grid, base: pd.DataFrame, edited: pd.DataFrame,
          params: dict | None = None) -> int:
    return grids.save_grid(db, actor.username, grid, base, edited, params)


# ---- organisation ---------------------------------------------------------------------------
@policy.guarded("admin.save_branches")
def save_branches(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    """The branch grid as edited; returns the number of rows added, changed or deleted."""
    return _save(db, actor, grids.BRANCHES, base, edited)


@policy.guarded("admin.save_projects")
def save_projects(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    """The project grid; a project moved to another branch takes its records along."""
    return _save(db, actor, grids.PROJECTS, base, edited)


@policy.guarded("admin.save_buildings")
def save_buildings(db: Database, actor: Actor, project_id: int, base: pd.DataFrame,
                   edited: pd.DataFrame) -> int:
    policy.require_project(db, actor, project_id)
    return _save(db, actor, grids.BUILDINGS, base, edited, {"project_id": int(project_id)})


@policy.guarded("admin.save_units")
def save_units(db: Database, actor: Actor, project_id: int, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    policy.require_project(db, actor, project_id)
    return _save(db, actor, grids.UNITS, base, edited, {"project_id": int(project_id)})


# ---- reference data -------------------------------------------------------------------------
@policy.guarded("admin.save_departments")
def save_departments(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.DEPARTMENTS, base, edited)


@policy.guarded("admin.save_categories")
def save_categories(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.CATEGORIES, base, edited)


@policy.guarded("admin.save_channels")
def save_channels(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.CHANNELS, base, edited)


@policy.guarded("admin.save_sla_settings")
def save_sla_settings(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.SLA, base, edited)


@policy.guarded("admin.save_calendars")
def save_calendars(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.CALENDARS, base, edited)


@policy.guarded("admin.save_calendar_overrides")
def save_calendar_overrides(db: Database, actor: Actor, base: pd.DataFrame, edited: pd.DataFrame) -> int:
    return _save(db, actor, grids.OVERRIDES, base, edited)


@policy.guarded("admin.import_holidays")
def import_holidays(db: Database, actor: Actor, data: bytes, file_name: str) -> tuple[int, int]:
    """A CSV or Excel list of holidays and working days for all branches: (added, skipped)."""
    return holidays.import_dates(db, actor.username, holidays.read_dates(data, file_name))


@policy.guarded("admin.save_settings")
def save_settings(db: Database, actor: Actor, values: dict) -> int:
    """The changed company settings (one audit row each); a new time zone applies at once."""
    return grids.save_settings(db, actor.username, values)


# ---- users ----------------------------------------------------------------------------------
@policy.guarded("admin.create_user")
def create_user(db: Database, actor: Actor, username: str, display_name: str, password: str, role: str,
                scope_kind: str, scope_id: int | None = None, department_id: int | None = None,
                lang: str = "zh") -> int:
    return users.create(db, actor.username, username, display_name, password, role, scope_kind, scope_id,
                        lang=lang, department_id=department_id)


@policy.guarded("admin.update_user")
def update_user(db: Database, actor: Actor, username: str, display_name: str, role: str, scope_kind: str,
                scope_id: int | None = None, department_id: int | None = None, active: bool = True) -> None:
    """Name, role, scope, department, active (deactivating locks the user out); never the actor
    itself inactive, never the last active administrator."""
    users.update(db, actor.username, username, display_name, role, scope_kind, scope_id,
                 department_id=department_id, active=active)


@policy.guarded("admin.reset_password")
def reset_password(db: Database, actor: Actor, username: str, new_password: str) -> None:
    """A new password set by the administrator (this also lifts a lock)."""
    users.reset_password(db, actor.username, username, new_password)


@policy.guarded("admin.unlock_user")
def unlock_user(db: Database, actor: Actor, username: str) -> None:
    """Lift a lock after failed logins before it expires."""
    users.unlock(db, actor.username, username)
