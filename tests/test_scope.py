"""Scope is enforced in SQL: a clerk of one project never reads another project's residents."""

from __future__ import annotations

import pytest

from csm.org import users
from csm.org.scope import Scope
from tests.conftest import branch_id, project_id


def residents(db, scope: Scope, **kw):
    params = {**scope.params(), "q": None, "project_id": None, "limit": 100000, **kw}
    return db.rows("org/residents", params)


def test_clerk_sees_only_own_project(db):
    p1, p3 = project_id(db, "P001"), project_id(db, "P003")
    clerk = Scope("project", p1)
    rows = residents(db, clerk)
    assert rows, "the demo project has residents"
    names = {r["project"] for r in rows}
    p1_name = db.one("org/project_by_code", {"code": "P001"})["name"]
    assert names == {p1_name}
    # asking for another project by parameter returns nothing, not that project's rows
    assert residents(db, clerk, project_id=p3) == []


def test_branch_manager_sees_branch_projects_only(db):
    b1 = branch_id(db, "B01")
    rows = residents(db, Scope("branch", b1))
    branch_names = {r["branch"] for r in rows}
    assert branch_names == {db.one("org/branch_by_code", {"code": "B01"})["name"]}
    projects = db.rows("org/projects_in_scope", Scope("branch", b1).params())
    assert {p["branch_id"] for p in projects} == {b1}


def test_group_sees_everything(db):
    total = db.one("org/counts", Scope("group").params())["residents"]
    assert len(residents(db, Scope("group"))) == total


def test_phone_full_in_own_project_masked_elsewhere(db):
    p1 = project_id(db, "P001")
    own = residents(db, Scope("project", p1))[0]
    assert "*" not in own["phone"] and len(own["phone"]) == 11
    from_branch = [r for r in residents(db, Scope("branch", branch_id(db, "B01"))) if r["id"] == own["id"]][0]
    assert from_branch["phone"] == own["phone"][:3] + "****" + own["phone"][-4:]
    from_group = [r for r in residents(db, Scope("group")) if r["id"] == own["id"]][0]
    assert from_group["phone"] == from_branch["phone"]


def test_counts_follow_scope(db):
    p1 = project_id(db, "P001")
    c = db.one("org/counts", Scope("project", p1).params())
    assert c["projects"] == 1 and c["branches"] == 1
    g = db.one("org/counts", Scope("group").params())
    assert g["projects"] == 4 and g["branches"] == 2


def test_scope_requires_an_id():
    with pytest.raises(ValueError):
        Scope("project")


def test_demo_users_have_their_scopes(db):
    clerk2 = users.get(db, "clerk2")
    assert clerk2["scope_kind"] == "project"
    assert clerk2["scope_id"] == project_id(db, "P003")


def test_org_reads_take_the_scope_from_the_actor(db):
    """The same rules through csm.org.reads: the scope is the actor's, a project outside it is refused."""
    from csm.actor import Actor
    from csm.errors import PermissionDenied
    from csm.org import reads

    p1, p3 = project_id(db, "P001"), project_id(db, "P003")
    clerk = Actor(None, "clerk1", "clerk", Scope("project", p1), tz=db.timezone)
    frame = reads.residents(db, clerk, limit=100000)
    assert len(frame) == len(residents(db, Scope("project", p1)))
    assert "*" not in frame["phone"].iloc[0]
    assert [p["id"] for p in reads.projects(db, clerk)] == [p1]
    for call in (lambda: reads.residents(db, clerk, project_id=p3), lambda: reads.units(db, clerk, p3),
                 lambda: reads.project(db, clerk, p3)):
        with pytest.raises(PermissionDenied):
            call()
    assert reads.units(db, clerk, p1) and reads.project(db, clerk, p1)["code"] == "P001"
    manager = Actor(None, "manager_b1", "manager", Scope("branch", branch_id(db, "B01")), tz=db.timezone)
    assert {p["branch_id"] for p in reads.projects(db, manager)} == {branch_id(db, "B01")}
    assert len(reads.residents(db, manager, "", limit=100000)) == len(residents(db, manager.scope))
