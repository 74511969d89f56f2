"""What the organisation screens read (pages/residents.py, pickers of other screens): every read
checks the policy and takes the scope from the actor (csm.policy); a record outside it is refused."""

from __future__ import annotations

import pandas as pd

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import PermissionDenied

RESIDENTS_LIMIT = 500


@policy.guarded("org.projects")
def projects(db: Database, actor: Actor) -> list[dict]:
    """The active projects the actor may see, for pickers (id, code, name, branch_id, branch)."""
    return db.rows("org/projects_in_scope", actor.params())


@policy.guarded("org.project")
def project(db: Database, actor: Actor, project_id: int) -> dict:
    """One project (id, branch_id, name, code); PermissionDenied outside the actor's scope."""
    policy.require_project(db, actor, project_id)
    row = db.one("org/project_get_for_scope", {"id": int(project_id)})
    if row is None:
        raise PermissionDenied()
    return row


@policy.guarded("org.residents")
def residents(db: Database, actor: Actor, q: str | None = None, project_id: int | None = None,
              limit: int = RESIDENTS_LIMIT) -> pd.DataFrame:
    """Residents matching a search text (name, phone or unit), at most `limit`; the phone in full
    only to users of the resident's own project (seed 001)."""
    policy.require_project(db, actor, project_id)
    return db.df("org/residents", {**actor.params(), "q": (q or "").strip() or None,
                                   "project_id": project_id, "limit": int(limit)})


@policy.guarded("org.units")
def units(db: Database, actor: Actor, project_id: int) -> list[dict]:
    """A project's units (id, code, building, current resident); PermissionDenied outside scope."""
    policy.require_project(db, actor, project_id)
    return db.rows("org/units", {"project_id": int(project_id), **actor.params()})


@policy.guarded("org.resident")
def resident(db: Database, actor: Actor, resident_id: int) -> dict:
    """One resident with the due time of its move-in revisit; PermissionDenied outside scope."""
    row = db.one("org/resident", {"id": int(resident_id), **actor.params()})
    if row is None:
        raise PermissionDenied()
    return row
