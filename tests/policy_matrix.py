"""The role x read/command matrix (issue 9): every guarded read and command is called with each
role and with an actor of the same role whose scope does not hold the record.

A capability's tests/test_policy_<capability>.py defines `CASES = [Case(...), ...]` and
`test_case = matrix_test(CASES)`. Each (case, actor) runs on a fresh copy of the tiny demo:
- an allowed role must run the call without any error;
- a refused role must get PermissionDenied with the Chinese message;
- `outside`: an allowed role scoped to project P003 (branch B02). With `record=True` (the call
  names a record in P001) it must be refused; with `record=False` (a list) it must run, and
  `check_outside(db, result)` (if given) asserts nothing of P001 is in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import PermissionDenied
from csm.org.scope import Scope

DENIED_ZH = "您的角色无权访问此页面。"
# The demo users (tools/demo/__init__.py): clerk1 / supervisor1 in P001, manager_b1 over B01, hq, admin.
ROLE_USERS = {"clerk": "clerk1", "supervisor": "supervisor1", "manager": "manager_b1",
              "head_office": "hq", "admin": "admin"}
ACTORS = (*ROLE_USERS, "outside")


@dataclass
class Case:
    name: str  # the policy name, e.g. "complaints.worklist"
    call: Callable[[Database, Actor], Any]  # runs the read or command as this actor
    record: bool = True  # the call names a record of P001 (outside actors are refused)
    check_outside: Callable[[Database, Any], None] | None = None  # (db, result): asserts
    id: str = ""  # to tell apart several cases of one name

    def __str__(self) -> str:
        return self.id or self.name


def actor_for(db: Database, role: str) -> Actor:
    from csm.org import users

    user = users.get(db, ROLE_USERS[role])
    return Actor.of(user, tz=db.timezone)


def outside_actor(db: Database, role: str) -> Actor:
    """`role` scoped where P001's records are not: project P003 (or its branch B02)."""
    base = actor_for(db, role)
    p3 = db.one("org/project_by_code", {"code": "P003"})
    scope = Scope("branch", p3["branch_id"]) if role == "manager" else Scope("project", p3["id"])
    return Actor(base.user_id, base.username, role, scope, base.lang, base.tz, base.display_name)


def run(db: Database, case: Case, who: str) -> None:
    if who == "outside":
        allowed = [r for r in policy.POLICY[case.name] if r in ("clerk", "supervisor", "manager")]
        if not allowed:
            pytest.skip("only group-wide roles may run this")
        actor = outside_actor(db, allowed[0])
        if case.record:
            with pytest.raises(PermissionDenied) as exc:
                case.call(db, actor)
            assert exc.value.message() == DENIED_ZH
        else:
            result = case.call(db, actor)
            if case.check_outside:
                case.check_outside(db, result)
        return
    actor = actor_for(db, who)
    if policy.allows(actor, case.name):
        case.call(db, actor)
    else:
        with pytest.raises(PermissionDenied) as exc:
            case.call(db, actor)
        assert exc.value.message() == DENIED_ZH


def matrix_test(cases: list[Case]):
    @pytest.mark.parametrize("who", ACTORS)
    @pytest.mark.parametrize("case", cases, ids=str)
    def test_role_matrix(db, case, who):
        run(db, case, who)

    return test_role_matrix
