"""Everything the admin screens show (pages/admin_*.py): the grids' frames, the user list, the
audit log and its choices. Each read checks the policy (csm.policy); the organisation grids are
also shown, read-only, to head office."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from csm import policy
from csm.actor import Actor
from csm.admin import grids, holidays
from csm.db import Database
from csm.org import users

AUDIT_LIMIT = 20000


# ---- organisation ---------------------------------------------------------------------------
@policy.guarded("admin.branches")
def branches(db: Database, actor: Actor) -> pd.DataFrame:
    """Every branch (id, code, name, active, projects) as the branch grid starts from it."""
    return grids.load_grid(db, grids.BRANCHES)


@policy.guarded("admin.projects")
def projects(db: Database, actor: Actor) -> pd.DataFrame:
    """Every project with its branch and unit count, as the project grid starts from it."""
    return grids.load_grid(db, grids.PROJECTS)


@policy.guarded("admin.buildings")
def buildings(db: Database, actor: Actor, project_id: int) -> pd.DataFrame:
    """One project's buildings with their unit counts."""
    policy.require_project(db, actor, project_id)
    return grids.load_grid(db, grids.BUILDINGS, {"project_id": int(project_id)})


@policy.guarded("admin.units")
def units(db: Database, actor: Actor, project_id: int) -> pd.DataFrame:
    """One project's units."""
    policy.require_project(db, actor, project_id)
    return grids.load_grid(db, grids.UNITS, {"project_id": int(project_id)})


# ---- reference data -------------------------------------------------------------------------
@policy.guarded("admin.departments")
def departments(db: Database, actor: Actor) -> pd.DataFrame:
    return grids.load_grid(db, grids.DEPARTMENTS)


@policy.guarded("admin.categories")
def categories(db: Database, actor: Actor) -> pd.DataFrame:
    return grids.load_grid(db, grids.CATEGORIES)


@policy.guarded("admin.channels")
def channels(db: Database, actor: Actor) -> pd.DataFrame:
    return grids.load_grid(db, grids.CHANNELS)


@policy.guarded("admin.sla_settings")
def sla_settings(db: Database, actor: Actor) -> pd.DataFrame:
    """The time limits, one row per grade and urgency."""
    return grids.load_grid(db, grids.SLA)


@policy.guarded("admin.calendars")
def calendars(db: Database, actor: Actor) -> pd.DataFrame:
    """Each branch's working calendar (weekdays as lists, for the editor)."""
    return grids.load_grid(db, grids.CALENDARS)


@policy.guarded("admin.calendar_overrides")
def calendar_overrides(db: Database, actor: Actor) -> pd.DataFrame:
    return grids.load_grid(db, grids.OVERRIDES)


@policy.guarded("admin.holiday_years")
def holiday_years(db: Database, actor: Actor) -> list:
    """The years around the actor's today and where their holidays come from (csm.admin.holidays)."""
    return holidays.sources(db, actor.today())


@policy.guarded("admin.settings")
def settings(db: Database, actor: Actor) -> dict[str, str]:
    """Every company setting (key -> value)."""
    return grids.settings(db)


# ---- users ----------------------------------------------------------------------------------
@policy.guarded("admin.users")
def user_list(db: Database, actor: Actor) -> pd.DataFrame:
    """Every user (no password hash) with `locked` as csm.org.users decides it at the actor's now."""
    frame = db.df("admin/users")
    now = actor.now()
    frame["locked"] = [users.is_locked({"locked_until": None if pd.isna(v) else v}, now)
                       for v in frame["locked_until"]]
    return frame


@policy.guarded("admin.user")
def user(db: Database, actor: Actor, username: str) -> dict | None:
    """One user for the edit form, with `locked` and `can_unlock` (csm.org.users' rule); None if unknown."""
    row = users.get(db, username)
    if row is None:
        return None
    row = {k: v for k, v in row.items() if k != "password_hash"}
    now = actor.now()
    return {**row, "locked": users.is_locked(row, now), "can_unlock": users.can_unlock(row, now)}


# ---- audit log ------------------------------------------------------------------------------
@policy.guarded("admin.audit_choices")
def audit_choices(db: Database, actor: Actor) -> dict[str, list]:
    """The actors, actions and entities the audit log holds: kind -> values, for the filters."""
    out: dict[str, list] = {"actor": [], "action": [], "entity": []}
    for r in db.rows("admin/audit_choices"):
        out.setdefault(r["kind"], []).append(r["value"])
    return out


@policy.guarded("admin.audit_search")
def audit_search(db: Database, actor: Actor, who: str | None = None, action: str | None = None,
                 entity: str | None = None, since: datetime | None = None, until: datetime | None = None,
                 limit: int = AUDIT_LIMIT) -> pd.DataFrame:
    """Audit rows, newest first, filtered by who, action, entity and a period [since, until)."""
    return db.df("admin/audit_search", {"actor": who, "action": action, "entity": entity,
                                        "since": since, "until": until, "limit": int(limit)})
