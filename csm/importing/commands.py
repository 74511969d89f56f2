"""What the import screen and `python -m csm import` change: apply a file (one transaction, all
rows or none), save a mapping under a name, undo an import. Guarded by the policy ("imports")."""

from __future__ import annotations

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import UserError
from csm.importing import run
from csm.importing.mapping import Mapping
from csm.importing.reader import Sheet
from csm.importing.target import Target

NAME_CHARS = 60


@policy.guarded("imports.apply")
def apply(db: Database, actor: Actor, target: Target, sheet: Sheet, mapping: Mapping,
          mapping_name: str | None = None, progress=None) -> run.RunReport:
    """Import the file: ValidationFailed naming every rejected row (nothing written), else every
    row added or updated in one transaction, recorded in the import log."""
    rows, rejected = run.typed_rows(target, sheet, mapping, db.timezone, progress)
    return db.transaction(lambda tx: run.apply_batch(tx, actor, target, sheet, mapping, mapping_name, rows,
                                                     rejected, progress))


@policy.guarded("imports.save_mapping")
def save_mapping(db: Database, actor: Actor, target: Target, name: str, mapping: Mapping) -> None:
    """Save (or replace) the mapping under `name` for the target."""
    name = " ".join((name or "").split())
    if not name:
        raise UserError("error.required", field="import_mapping_name")
    if len(name) > NAME_CHARS:
        raise UserError("imports.error.name_too_long", limit=NAME_CHARS)

    def work(tx):
        tx.execute("importing/mapping_delete", {"target": target.name, "name": name})
        tx.execute("importing/mapping_insert", {"target": target.name, "name": name, "mapping": mapping.to_json(),
                                                "saved_by": actor.username, "at": actor.now()})

    db.transaction(work)


@policy.guarded("imports.undo")
def undo(db: Database, actor: Actor, target: Target, batch_id: int) -> int:
    """Take back the target's latest import while nothing else refers to its rows; rows removed."""
    return db.transaction(lambda tx: run.undo_batch(tx, actor, target, int(batch_id)))
