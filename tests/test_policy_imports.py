"""Role matrix of the import mechanism (see tests/policy_matrix.py): administrators and supervisors
import, only administrators undo; a supervisor scoped elsewhere gets the rows of P001 rejected
(the target judges scope row by row) and sees no P001 import in the log."""

from __future__ import annotations

from csm import import_targets
from csm.actor import Actor
from csm.importing import commands, reads
from csm.importing.mapping import Mapping
from csm.org import users
from tests.policy_matrix import Case, matrix_test

TARGET = import_targets.get("households")


def _csv(project_code: str, unit: str = "9-0101") -> bytes:
    return f"项目,楼栋,房号,业主\n{project_code},9号楼,{unit},赵一\n".encode("utf-8-sig")


def _own_code(db, a: Actor) -> str:
    """P001 for a group-wide actor, else the actor's own project (or the first of its branch)."""
    if a.scope.kind == "group":
        return "P001"
    return db.rows("org/projects_in_scope", a.params())[0]["code"]


def _found(db, a: Actor, code: str = "P001"):
    return reads.inspect(db, a, TARGET, _csv(code), "list.csv")


def _all_rejected(db, report) -> None:
    assert report.outcomes and all(o.action == "reject" for o in report.outcomes)


def _no_p001_choice(rows) -> None:
    assert rows and "P001" not in {c.label.split()[0] for c in rows}


def _admin(db) -> Actor:
    return Actor.of(users.get(db, "admin"), tz=db.timezone)


def _p001_batch(db) -> int:
    found = reads.inspect(db, _admin(db), TARGET, _csv("P001", "9-0777"), "p001.csv")
    return commands.apply(db, _admin(db), TARGET, found.sheet, found.mapping).batch_id


def _log_after_p001_import(db, a):
    _p001_batch(db)
    return reads.log(db, a)


def _no_p001_import(db, frame) -> None:
    p1 = db.one("org/project_by_code", {"code": "P001"})["id"]
    assert p1 not in set(frame["project_id"])


def _undo_p001(db, a):
    batch = _p001_batch(db)
    return commands.undo(db, a, TARGET, batch)


def _apply_own(db, a):
    found = _found(db, a, _own_code(db, a))
    return commands.apply(db, a, TARGET, found.sheet, found.mapping)


CASES = [
    Case("imports.inspect", lambda db, a: _found(db, a), record=False),
    Case("imports.values", lambda db, a: reads.value_counts(db, a, TARGET, _found(db, _admin(db)).sheet,
                                                            Mapping(columns={"project": "项目"})), record=False),
    Case("imports.values", lambda db, a: reads.choices(db, a, TARGET, "project"), record=False, id="imports.choices",
         check_outside=lambda db, rows: _no_p001_choice(rows)),
    Case("imports.dry_run", lambda db, a: reads.dry_run(db, a, TARGET, _found(db, a).sheet,
                                                        Mapping.from_json(_found(db, _admin(db)).mapping.to_json())),
         record=False, check_outside=_all_rejected),
    Case("imports.mappings", lambda db, a: reads.mappings(db, a, TARGET), record=False),
    Case("imports.log", _log_after_p001_import, record=False, check_outside=_no_p001_import),
    Case("imports.apply", _apply_own, record=False),
    Case("imports.save_mapping", lambda db, a: commands.save_mapping(db, a, TARGET, "旧系统", Mapping()), record=False),
    Case("imports.undo", _undo_p001),
]

test_role_matrix = matrix_test(CASES)
