"""Who may run which read or command: one table, checked inside the domain (not only the menu).

A read or command calls `ensure(actor, name)` first; a page that forgets its own guard still
cannot reach data outside the actor's rights. Scope narrowing (`narrow`) keeps a request for
a branch or project inside the actor's own scope.
"""

from __future__ import annotations

from csm.actor import Actor
from csm.errors import PermissionDenied
from csm.scope import Scope

MANAGERS = ("supervisor", "manager", "head_office")

# name -> roles allowed. Names are "<capability>.<read or command>".
POLICY: dict[str, tuple[str, ...]] = {
    "dashboards.kpis": MANAGERS,
    "dashboards.comparison": ("manager", "head_office"),
    "dashboards.report": MANAGERS,
}


def allows(actor: Actor, name: str) -> bool:
    roles = POLICY.get(name)
    if roles is None:
        raise KeyError(f"no policy for {name}")  # a developer's mistake, caught by the tests
    return actor.role in roles


def ensure(actor: Actor, name: str) -> None:
    if not allows(actor, name):
        raise PermissionDenied()


def narrow(db, actor: Actor, scope: Scope | None) -> Scope:
    """The scope a read works on: the one asked for if it lies inside the actor's, else refused."""
    own = actor.scope
    if scope is None or scope == own:
        return own
    if own.kind == "group":
        return scope
    if scope.kind == "group":
        raise PermissionDenied()
    if own.kind == "branch":
        if scope.kind == "branch" and scope.id == own.id:
            return scope
        if scope.kind == "project" and db.value("project_branch_of", {"id": scope.id}) == own.id:
            return scope
        raise PermissionDenied()
    raise PermissionDenied()  # a project scope narrows to nothing but itself
