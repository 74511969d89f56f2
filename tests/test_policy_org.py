"""Role matrix of the organisation reads and the account commands (see tests/policy_matrix.py):
every read takes its scope from the actor; a P001 record is refused to an actor outside it."""

from __future__ import annotations

from csm.org import commands, reads
from tests.policy_matrix import Case, matrix_test


def _p001(db) -> dict:
    return db.one("org/project_by_code", {"code": "P001"})


def _no_p001_project(db, rows):
    assert rows and _p001(db)["id"] not in {r["id"] for r in rows}


def _no_p001_resident(db, frame):
    assert not frame.empty and _p001(db)["name"] not in set(frame["project"])


def _p001_resident(db) -> int:
    return db._conn.execute("SELECT min(id) FROM residents WHERE project_id = ?", [_p001(db)["id"]]).fetchone()[0]


CASES = [
    Case("org.projects", lambda db, a: reads.projects(db, a), record=False, check_outside=_no_p001_project),
    Case("org.project", lambda db, a: reads.project(db, a, _p001(db)["id"])),
    Case("org.residents", lambda db, a: reads.residents(db, a), record=False, check_outside=_no_p001_resident),
    Case("org.residents", lambda db, a: reads.residents(db, a, project_id=_p001(db)["id"]),
         id="org.residents.P001"),
    Case("org.resident", lambda db, a: reads.resident(db, a, _p001_resident(db))),
    Case("org.units", lambda db, a: reads.units(db, a, _p001(db)["id"])),
    Case("org.set_language", lambda db, a: commands.set_language(db, a, "en"), record=False),
    Case("org.change_password", lambda db, a: commands.change_password(
        db, a, "Demo@2026", "Kq8#wuye-Tz", "Kq8#wuye-Tz"), record=False),
]

test_role_matrix = matrix_test(CASES)
