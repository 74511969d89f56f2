"""The contract between the import mechanism and a capability's importer.

The mechanism reads the file, applies the user's column and value mapping and parses each cell by
its field's kind (text, number, date, datetime, choice, phone): a cell it cannot parse rejects the
row before the target sees it. The target then judges the typed rows (`plan`) and writes them
(`apply`) inside the one transaction of the import, or takes them back (`undo`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

import pandas as pd

from csm.errors import UserError

Kind = Literal["text", "int", "number", "date", "datetime", "choice", "phone", "bool"]
Action = Literal["add", "update", "same", "reject"]


@dataclass(frozen=True)
class Field:
    key: str                     # the product's field, e.g. "received_at"; the column name in `rows`
    label: str                   # i18n key of the field's name, e.g. "field.received_at"
    kind: Kind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()  # header names the column is suggested from (zh and en, any case)
    max_chars: int | None = None


@dataclass
class Outcome:
    """What the import does with one row of the file."""

    line: int                    # the row's line in the file (the header row is line 1)
    action: Action
    column: str | None = None    # the product field a rejection is about
    reason: UserError | None = None
    record_id: int | None = None  # for update/same: the record the row already brought


@dataclass(frozen=True)
class Choice:
    value: str                   # what is stored, e.g. a category code or an id as text
    label: str                   # what the user picks in the value mapping, e.g. "工程 / 给水管"


class Target(Protocol):
    name: str                    # "households", "complaints", "revisits", "service_records", ...
    label: str                   # i18n key of the target's name
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]  # fields that identify a row across files (a source ticket number)

    def choices(self, db, actor, field_key: str) -> list[Choice]:
        """The values a `choice` field's file values map to (the actor's scope only)."""

    def plan(self, tx, actor, rows: pd.DataFrame) -> list[Outcome]:
        """One Outcome per row. `rows` has a column per mapped field key (typed: str, int, float,
        date, tz-aware datetime, or None) and `_line`. Reads only; nothing written."""

    def apply(self, tx, actor, rows: pd.DataFrame, outcomes: list[Outcome], batch_id: int) -> None:
        """Write the rows whose outcome is add/update, marked with `batch_id` (imported history:
        no revisit task, escalation, inbox item or follow-up is created for them)."""

    # Optional (compatible) hook: a target's `plan` or `apply` may take a keyword `progress`; the
    # mechanism then passes a callable of the fraction of that work done (0..1) and shows it
    # (csm/importing/progress.py). A target without it is called as above.

    def undo(self, tx, actor, batch_id: int) -> int:
        """Remove what the batch added (and restore what it updated where the target keeps it);
        raise UserError when other records already refer to them. Returns rows removed."""


@dataclass
class Report:
    """The dry run's (and the apply's) account of a file, row by row."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "reject"]
