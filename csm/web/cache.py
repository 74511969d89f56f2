"""Cached dashboard reads: keyed by the database file, its data version (bumped by every committed
write in this process, csm.db.Database.version), the actor's role and scope, and the arguments —
so a figure is never served across scopes, and a write shows at the next rerun. One process owns
a DuckDB file, so the in-process version is exact there. Figures that depend on the clock ("overdue
now") are at most CLOCK_SECONDS old when nothing was written meanwhile."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from csm.actor import Actor
from csm.db import Database

CLOCK_SECONDS = 300


# Two arguments: the key (one tuple) and the call (not hashed). Streamlit inspects the function's
# signature once per argument it is given, which cost more than the hashing itself with thirteen.
# An entry lives two clock periods: the key holds the period, so an older one is never asked for
# again (with an hour, twelve generations of figures stayed in memory: the soak's growth).
@st.cache_data(show_spinner=False, max_entries=512, ttl=2 * CLOCK_SECONDS)
def _call(key: tuple, _work: tuple) -> Any:
    fn, db, actor, args, kwargs = _work
    return fn(db, actor, *args, **kwargs)


def _key(fn: Callable, db: Database, actor: Actor, clock_seconds: int, args: tuple, kwargs: dict,
         user: bool) -> tuple:
    return (f"{fn.__module__}.{fn.__qualname__}", db.path, db.version, actor.user_id if user else None,
            actor.role, actor.scope.kind, actor.scope.id, actor.lang, actor.tz,
            int(actor.now().timestamp() // clock_seconds), args, tuple(sorted(kwargs.items())))


_GENERATIONS: dict[tuple[str, str], tuple[int, int]] = {}  # (cache, database) -> newest (version, period) asked
_GENERATIONS_LOCK = threading.Lock()


def _newest(cache: str, clear: Callable[[], None], key: tuple) -> None:
    """A key of a newer generation (a write moved the data version, or the clock entered a new
    period) than any asked before: every entry of the older ones is garbage (its key is never
    asked again), so the cache is emptied now rather than held until its entries expire. Without
    this, each write left a whole generation of figures in memory, up to max_entries: an
    escalation run of a thousand transactions filled the caches with figures nobody could ask
    for again (the soak's growth)."""
    generation = (key[2], key[9])  # (db.version, clock period): both only grow
    with _GENERATIONS_LOCK:
        seen = _GENERATIONS.get((cache, key[1]))
        if seen is not None and generation <= seen:
            return
        _GENERATIONS[(cache, key[1])] = generation
    if seen is not None:
        clear()


def cached(fn: Callable, db: Database, actor: Actor, *args, **kwargs) -> Any:
    """fn(db, actor, *args, **kwargs), computed once per data version, scope and arguments."""
    key = _key(fn, db, actor, CLOCK_SECONDS, args, kwargs, user=False)
    _newest("cached", _call.clear, key)
    return _call(key, (fn, db, actor, args, kwargs))


LIVE_SECONDS = 60


@st.cache_data(show_spinner=False, max_entries=1024, ttl=2 * LIVE_SECONDS)
def _live(key: tuple, _work: tuple) -> Any:
    fn, db, actor, args, kwargs = _work
    return fn(db, actor, *args, **kwargs)


def live(fn: Callable, db: Database, actor: Actor, *args, **kwargs) -> Any:
    """fn(db, actor, *args, **kwargs) for the lists a user works from (inbox, worklist, queues):
    keyed as `cached` plus the user (a read may depend on who asks: "assigned to me") and the
    minute, so a write shows at the next rerun and the clock ("overdue now", "due today") is at
    most LIVE_SECONDS old. An entry lives two minutes: old minutes are not kept."""
    key = _key(fn, db, actor, LIVE_SECONDS, args, kwargs, user=True)
    _newest("live", _live.clear, key)
    return _live(key, (fn, db, actor, args, kwargs))


# Specs live as long as the figures they draw (two clock periods), at most 128 per cache: their
# inputs change with every write, and with an hour 256 specs of old data stayed in each cache.
@st.cache_data(show_spinner=False, max_entries=128, ttl=2 * CLOCK_SECONDS)
def _spec(_builder: Callable, builder_name: str, args: tuple, kwargs: tuple) -> dict:
    return _builder(*args, **dict(kwargs)).to_dict(validate=False)


def chart_spec(builder: Callable, *args, **kwargs) -> dict:
    """The Vega-Lite spec of builder(*args) (an Altair chart builder of csm), built once per input:
    building and serialising six charts cost more than the dashboard's cached figures."""
    return _spec(builder, f"{builder.__module__}.{builder.__qualname__}", args, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=128, ttl=2 * CLOCK_SECONDS)
def _keyed_spec(_builder: Callable, builder_name: str, key: str, _args: tuple) -> dict:
    return _builder(*_args).to_dict(validate=False)


def chart_spec_for(key: str, builder: Callable, *args) -> dict:
    """As chart_spec, for inputs that are a pure function of `key` (e.g. the data version, scope,
    period and choice behind a league table): only the key is hashed, not the rows."""
    return _keyed_spec(builder, f"{builder.__module__}.{builder.__qualname__}", key, args)


def preload(module: str, warm: str | None = None) -> None:
    """Import `module` on a background thread unless it is loaded, then call its function `warm`
    (if named): a page that draws charts further down starts Altair's import and first spec
    (half a second, once per process) while its first figures are read from DuckDB."""
    if module in sys.modules:
        return

    def load() -> None:
        loaded = importlib.import_module(module)
        if warm:
            getattr(loaded, warm)()

    threading.Thread(target=load, name=f"preload {module}", daemon=True).start()


_heap_lock = threading.Lock()
_frozen_modules = 0


def freeze_loaded_heap() -> None:
    """After a rerun that imported new modules: collect, then move every object alive now into
    the collector's permanent generation (gc.freeze). Streamlit runs a full collection after every
    rerun (runner.postScriptGC); with Streamlit, pandas, DuckDB and Altair loaded that walks some
    160,000 long-lived objects each time (tens of ms, more under load) although only the rerun's
    own objects can be garbage. Frozen objects are the modules and what they hold; a rerun's
    objects are still collected after it. Freezing happens again only when more modules load."""
    global _frozen_modules
    import gc

    if len(sys.modules) == _frozen_modules:
        return
    with _heap_lock:
        if len(sys.modules) == _frozen_modules:
            return
        gc.collect(2)
        gc.freeze()
        _frozen_modules = len(sys.modules)
