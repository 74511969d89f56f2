"""What the import screen and `python -m csm import` read: a file with the suggested mapping and a
preview, the distinct values of its choice fields, the dry run, saved mappings, the import log.
Every read is guarded by the policy ("imports" section); the target judges each row's scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import UserError
from csm.importing import run
from csm.importing.mapping import Mapping, complete, distinct_values
from csm.importing.reader import Sheet, read
from csm.importing.target import Choice, Target
from csm.importing.values import text

PREVIEW_ROWS = 10
LOG_LIMIT = 200


@dataclass
class Inspection:
    """A file as read, with the mapping to start from (the saved one's choices, the rest suggested)."""

    sheet: Sheet
    mapping: Mapping

    def preview(self, n: int = PREVIEW_ROWS) -> pd.DataFrame:
        """The first rows as the file has them (text), with their line."""
        rows = [[line, *(text(v) for v in cells)] for line, cells in self.sheet.rows[:n]]
        return pd.DataFrame(rows, columns=["#", *self.sheet.headers])


@policy.guarded("imports.inspect")
def inspect(db: Database, actor: Actor, target: Target, data: bytes, file_name: str,
            mapping: Mapping | None = None, progress=None) -> Inspection:
    """Read the file (refused beyond the size and row limits) with the mapping's reading options
    and complete the mapping with suggestions. progress(phase, done, total)."""
    mapping = mapping or Mapping()
    sheet = read(data, file_name, mapping.options(),
                 progress=(lambda done, total: progress("read", done, total)) if progress else None)
    return Inspection(sheet, complete(target, sheet, mapping, lambda key: choices(db, actor, target, key)))


@policy.guarded("imports.values")
def choices(db: Database, actor: Actor, target: Target, field_key: str) -> list[Choice]:
    """The values a choice field maps to (the target gives the actor's scope only)."""
    return target.choices(db, actor, field_key)


@policy.guarded("imports.values")
def value_counts(db: Database, actor: Actor, target: Target, sheet: Sheet, mapping: Mapping) -> dict[str, pd.DataFrame]:
    """For each mapped choice field: the file's distinct values with their row counts and the
    product value each is mapped to (None: unmapped), most frequent first."""
    out = {}
    for f in target.fields:
        if f.kind != "choice" or mapping.columns.get(f.key) not in sheet.headers:
            continue
        counts: Counter = distinct_values(sheet, mapping.columns[f.key])
        mapped = mapping.values.get(f.key, {})
        out[f.key] = pd.DataFrame([{"value": v, "rows": n, "mapped": mapped.get(v)} for v, n in counts.most_common()],
                                  columns=["value", "rows", "mapped"])
    return out


@policy.guarded("imports.dry_run")
def dry_run(db: Database, actor: Actor, target: Target, sheet: Sheet, mapping: Mapping,
            progress=None) -> run.RunReport:
    """Rows to add / update / same / reject: the target plans inside a transaction that is rolled
    back, so nothing can be written."""
    rows, rejected = run.typed_rows(target, sheet, mapping, db.timezone, progress)
    box: dict = {}

    def work(tx):
        box["report"] = run.plan(tx, actor, target, sheet, rows, rejected, progress)
        raise _RolledBack()

    try:
        db.transaction(work, retries=0)
    except _RolledBack:
        pass
    return box["report"]


class _RolledBack(Exception):
    """Ends the dry run's transaction without committing."""


@policy.guarded("imports.dry_run")
def report_rows(db: Database, actor: Actor, target: Target, report, sheet: Sheet | None = None) -> pd.DataFrame:
    """The report row by row (line, action, field, reason) in the user's language."""
    return run.report_frame(target, report, sheet)


@policy.guarded("imports.dry_run")
def error_file(db: Database, actor: Actor, target: Target, report, sheet: Sheet) -> bytes:
    """The rejected rows as an Excel file (line, field, reason, the row's cells)."""
    return run.error_file(target, report, sheet)


@policy.guarded("imports.mappings")
def mappings(db: Database, actor: Actor, target: Target) -> list[dict]:
    """The mappings saved for the target (name, saved_by, saved_at)."""
    return db.rows("importing/mappings", {"target": target.name})


@policy.guarded("imports.mappings")
def saved_mapping(db: Database, actor: Actor, target: Target, name: str) -> Mapping:
    row = db.one("importing/mapping", {"target": target.name, "name": (name or "").strip()})
    if row is None:
        raise UserError("imports.error.no_mapping", name=name)
    return Mapping.from_json(row["mapping"])


@policy.guarded("imports.log")
def log(db: Database, actor: Actor, target: Target | None = None, limit: int = LOG_LIMIT) -> pd.DataFrame:
    """The imports the actor's scope may see, newest first (who, when, file, counts, undone)."""
    return db.df("importing/batches", {**actor.params(), "target": target.name if target else None,
                                       "limit": int(limit)})
