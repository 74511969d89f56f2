"""Cross-capability reactions without import circles.

A capability announces what happened (`events.emit(tx, "complaint.resolved", ...)`) inside its
own transaction; the reactions of *other* capabilities live in one deliberate place,
`csm/flows.py`, which registers them with `@events.on(...)`. Capability packages never import
each other for these reactions: complaints does not import revisits and revisits does not
import complaints. `csm.flows` is imported the first time an event is emitted.

Events (keyword payloads; `by` is the acting username; every handler also receives `tx` first):
- complaint.resolved(by, complaint, at, serious)         -> flows opens the complaint revisit
- revisit.unsatisfied(by, task, reason, record_id, at)    -> reopens the complaint or files one;
                                                             returns {"reopened_complaint_id", "new_complaint_id"}
- revisit.satisfied(by, task, at)                         -> marks the complaint revisited
- survey.follow_up(by, project_id, at, **task fields)     -> opens the survey revisit; returns its id
- complaint.imported_revisits(by, batch_id, revisits)     -> the revisits of an imported ledger, as
                                                             done revisit tasks (rows: see
                                                             csm.revisits.importer.load_imported_revisits)
- complaint.import_undone(by, batch_id)                   -> removes those revisits again
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

_HANDLERS: dict[str, list[Callable[..., Any]]] = defaultdict(list)
_loaded = False


def on(name: str):
    """Register a handler (used by csm/flows.py)."""
    def register(fn):
        if fn not in _HANDLERS[name]:
            _HANDLERS[name].append(fn)
        return fn
    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        importlib.import_module("csm.flows")
        _loaded = True


def emit(tx, name: str, **payload) -> list[Any]:
    """Run every reaction to `name` in the caller's transaction; their results in order."""
    _load()
    return [handler(tx, **payload) for handler in _HANDLERS.get(name, ())]


def emit_one(tx, name: str, **payload) -> Any:
    """For an event with exactly one reaction whose result the caller needs (e.g. a task id)."""
    results = emit(tx, name, **payload)
    if len(results) != 1:
        raise RuntimeError(f"{name}: expected one reaction, got {len(results)}")
    return results[0]


def handlers(name: str) -> list[Callable[..., Any]]:
    _load()
    return list(_HANDLERS.get(name, ()))
