"""The PostgreSQL twins of the hot reads (queries/<folder>/<name>.pg.sql, docs/storage.md slice 8)
give the same columns and rows as their originals: one demo (tools.demo, tiny) in a DuckDB file,
the same rows loaded into a PostgreSQL database by tools/bench_pg_load.py (the benchmark's own
loader), then every twin against its original for a clerk of a project, a supervisor, a branch
manager and head office (the group), with the desk's filters. Every twin must be listed here."""

from __future__ import annotations

import math
import shutil
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from csm.db import open_database, queries

ACTORS = ("clerk1", "supervisor1", "manager_b1", "hq")
NOW = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)  # a fixed moment: both engines see the same clock


# twins read inside a write transaction (NativeTx picks them): the parity suite covers them by
# running their command on both engines (tests/test_pg_parity.py: an import and its undo)
IN_WRITES = {"importing/records", "complaints/row_for_update"}  # the second: a row lock (steps.step)


def twins() -> set[str]:
    return {n[:-3] for n in queries().names() if n.endswith(".pg")} - IN_WRITES


def _desk(actor, db, **filters):
    from csm.complaints.reads import Filters, _params

    return _params(db, actor, Filters(**filters), NOW)


def _worklist(actor, db, **filters):
    return {**_desk(actor, db, **filters), "limit": 201, "offset": 0}


def _counts(actor, db, **filters):
    params = _desk(actor, db, **filters)
    del params["status"], params["overdue_only"]
    return params


FILTERS = [{}, {"status": "received"}, {"overdue_only": True}, {"text": "漏水"}, {"grade": "major"},
           {"escalated_only": True}, {"date_from": date(2026, 10, 1), "date_to": date(2026, 11, 30)}]

# twin -> (parameter sets for an actor, whether its rows come in a defined order)
CASES = {
    "complaints/worklist": ([lambda a, db, f=f: _worklist(a, db, **f) for f in FILTERS]
                            + [lambda a, db: {**_worklist(a, db), "limit": 7, "offset": 5}], True),
    "complaints/status_counts": ([lambda a, db, f=f: _counts(a, db, **f) for f in FILTERS], False),
    "org/residents": ([lambda a, db: {**a.params(), "q": None, "project_id": None, "limit": 300},
                       lambda a, db: {**a.params(), "q": "王", "project_id": None, "limit": 20},
                       lambda a, db: {**a.params(), "q": "0101", "project_id": None, "limit": 50}], True),
    "complaints/units_of_project": ([lambda a, db: {**a.params(), "project_id": _first_project(a, db)},
                                     lambda a, db: {**a.params(), "project_id": 4}], True),
    "admin/projects": ([lambda a, db: {}], True),
    "admin/buildings": ([lambda a, db: {"project_id": _first_project(a, db)}], True),
    "org/counts": ([lambda a, db: a.params()], True),
    "revisits/service_list": ([lambda a, db: _services(a, limit=300),
                               lambda a, db: _services(a, service_type="repair", limit=10)], True),
    "revisits/service_count": ([lambda a, db: {k: v for k, v in _services(a).items() if k != "limit"},
                                lambda a, db: {k: v for k, v in _services(a, "repair").items() if k != "limit"}],
                               True),
    "complaints/inbox_count": ([lambda a, db: _inbox(a), lambda a, db: _inbox(a, hours=-72)], True),
    "complaints/inbox_items": ([lambda a, db: {**_inbox(a), "limit": 500, "offset": 0},
                                lambda a, db: {**_inbox(a, hours=-72), "limit": 5, "offset": 3}], True),
    # the intake page's reads on every rerun (docs/storage.md slice 8, pgreads)
    "complaints/recent": ([lambda a, db: {**a.params(), "limit": 10},
                           lambda a, db: {**a.params(), "limit": 200}], True),
    "org/projects_in_scope": ([lambda a, db: a.params()], True),
    "complaints/channels_active": ([lambda a, db: {}], True),
    "complaints/categories_tree": ([lambda a, db: {}], True),
    # the shell's reads on every rerun of every page, and the admin grids' lists
    "core/setting_get": ([lambda a, db: {"key": "timezone"}, lambda a, db: {"key": "no-such-setting"}], True),
    "users/session_user": ([lambda a, db: {"id": f"twin-{a.username}"}, lambda a, db: {"id": "no-such-session"}],
                           True),
    "org/scope_name": ([lambda a, db: a.params()], True),
    "org/units": ([lambda a, db: {**a.params(), "project_id": _first_project(a, db)},
                   lambda a, db: {**a.params(), "project_id": 4}], True),
    "revisits/departments_active": ([lambda a, db: {}], True),
    "admin/departments": ([lambda a, db: {}], True),
    "admin/branches": ([lambda a, db: {}], True),
    "admin/units": ([lambda a, db: {"project_id": _first_project(a, db)}], True),
    "admin/categories": ([lambda a, db: {}], True),
    "admin/users": ([lambda a, db: {}], True),
    # the dashboard's tiles, three calls per visit (the period, the one before, a year ago)
    "dashboards/complaint_kpis": ([lambda a, db: _kpis(a, date(2026, 11, 1), date(2026, 12, 1)),
                                   lambda a, db: _kpis(a, date(2026, 1, 1), date(2027, 1, 1)),
                                   lambda a, db: _kpis(a, date(2020, 1, 1), date(2020, 2, 1))], True),
    # the survey pages' waves and the forms behind a figure
    "surveys/waves": ([lambda a, db: a.params()], True),
    "surveys/projects_for_plan": ([lambda a, db: a.params()], True),
    "surveys/responses": ([lambda a, db: {**a.params(), "wave_id": _wave(db), "project_id": None, "limit": 300},
                           lambda a, db: {**a.params(), "wave_id": _wave(db), "project_id": None, "limit": 3},
                           lambda a, db: {**a.params(), "wave_id": _wave(db),
                                          "project_id": _first_project(a, db), "limit": 50}], True),
    # the revisit queue and its bucket counts, read a minute apart
    "revisits/tasks": ([lambda a, db, b=b: {**_queue(a), "bucket": b, "limit": 200}
                        for b in ("all", "today", "overdue", "upcoming")]
                       + [lambda a, db: {**_queue(a, kind="complaint"), "bucket": "all", "limit": 5}], True),
    "revisits/task_counts": ([lambda a, db: _queue(a), lambda a, db: _queue(a, kind="repair")], True),
}


def _queue(actor, kind=None):
    from csm import period

    day_start, day_end = period.day_bounds(actor.tz, NOW)
    return {**actor.params(), "kind": kind, "project_id": None, "assignee_id": None, "now": NOW,
            "day_start": day_start, "day_end": day_end}


def _wave(db) -> int:
    """The wave with the most forms in the demo."""
    return int(db.df("surveys/waves", {"scope_kind": "group", "scope_id": None})
               .sort_values("returned", ascending=False)["id"].iloc[0])


def _kpis(actor, first: date, last_excl: date):
    from csm import period

    start, end = period.range_bounds(actor.tz, first, last_excl - timedelta(days=1))
    return {**actor.params(), "period_start": start, "period_end": end, "now": NOW}


def _first_project(actor, db) -> int:
    return int(db.df("org/projects_in_scope", actor.params())["id"].iloc[0])


def _services(actor, service_type=None, limit=300):
    from csm import period

    start, end = period.range_bounds(actor.tz, date(2024, 1, 1), date(2026, 12, 31))
    return {**actor.params(), "project_id": None, "service_type": service_type, "period_start": start,
            "period_end": end, "limit": limit}


def _inbox(actor, hours: int = 0):
    from csm.complaints.steps import inbox_params

    return inbox_params(actor, NOW + timedelta(hours=hours))


def _value(v):
    if v is None or v is pd.NaT or v is pd.NA:  # NULL, however the engine hands it to pandas
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (pd.Timestamp, datetime)):
        ts = pd.Timestamp(v)
        return (ts.tz_convert("UTC") if ts.tzinfo else ts).isoformat()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)) or hasattr(v, "item"):
        return round(float(v), 6)
    return v


def _rows(frame: pd.DataFrame, ordered: bool) -> list[tuple]:
    rows = [tuple(_value(v) for v in r) for r in frame.astype(object).itertuples(index=False)]
    return rows if ordered else sorted(rows, key=repr)


@pytest.fixture(scope="module")
def stores(pg_server, tmp_path_factory):
    """(the demo's DuckDB file opened, the same rows on PostgreSQL opened)."""
    from tools import bench_pg_load, demo

    folder = tmp_path_factory.mktemp("twins")
    path = str(folder / "demo.duckdb")
    db = open_database(path)
    try:
        demo.generate(db, size="tiny", seed=7)
        db.checkpoint()
    finally:
        db.close()
    source = str(folder / "source.duckdb")
    shutil.copyfile(path, source)
    name = f"csm_t_twins_{uuid.uuid4().hex[:8]}"
    loaded = bench_pg_load.load(source, pg_server, name, say=lambda _m: None)
    duck, pg = open_database(path), open_database(loaded["url"])
    for db in (duck, pg):  # one session per actor, the same on both (users/session_user)
        for username in ACTORS:
            uid = _actor(db, username).user_id
            db.transaction(lambda tx, u=username, i=uid: tx.execute("users/session_insert", {
                "id": f"twin-{u}", "user_id": i, "created_at": NOW, "expires_at": NOW + timedelta(days=1)}))
    try:
        yield duck, pg
    finally:
        duck.close()
        pg.close()
        bench_pg_load.drop(pg_server, name)


def _actor(db, username):
    from csm.actor import Actor
    from csm.org import users

    return Actor.of(users.get(db, username), tz=db.timezone)


def test_a_twin_writes_out_only_the_named_status_sets():
    """PostgreSQL has no macros: a twin writes complaint_open, complaint_done … out. Each list it
    writes must be exactly one of csm/status.py's sets, and its one comparison the overdue rule's
    (a suspended complaint is never overdue, migration 003), so a set changed in status.py and
    migration 017 cannot stay old in a twin."""
    import re

    from csm import config, status

    named = {frozenset(v) for v in status.STATUS_SETS.values()}
    statuses = "|".join(status.STATUSES)
    checked = 0
    for path in sorted(config.QUERIES_DIR.rglob("*.pg.sql")):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        for found in re.findall(r"status\s+(?:NOT\s+)?IN\s*\(([^)]*)\)", text, re.IGNORECASE):
            values = frozenset(re.findall(r"'([^']*)'", found))
            if values & set(status.STATUSES):
                assert values in named, (path.name, sorted(values))
                checked += 1
        for op, value in re.findall(rf"status\s*(=|<>|!=)\s*'({statuses})'", text, re.IGNORECASE):
            assert (op, value) == ("<>", "suspended"), (path.name, op, value)
    assert checked > 0


def test_every_twin_is_compared():
    assert twins() == set(CASES), "a twin without a case here, or a case without its twin"


@pytest.mark.slow
def test_the_loader_copies_every_row_and_moves_the_sequences(stores):
    import psycopg

    duck, pg = stores
    for name in ("demo/count_complaints", "demo/count_revisits"):
        assert duck.value(name) == pg.value(name) > 0
    with psycopg.connect(pg.path) as conn:  # a look at the data: the next id follows the copied ones
        biggest = conn.execute("SELECT max(id) FROM complaints").fetchone()[0]
        following = conn.execute("SELECT last_value, is_called FROM seq_complaint").fetchone()
    assert following == (biggest + 1, False)


@pytest.mark.slow
@pytest.mark.parametrize("twin", sorted(CASES))
def test_a_twin_gives_the_rows_of_its_original(stores, twin):
    duck, pg = stores
    assert pg.engine.twin(twin) is not None  # on PostgreSQL df() runs the twin, natively
    calls, ordered = CASES[twin]
    compared = 0
    for username in ACTORS:
        actor = _actor(duck, username)
        for make in calls:
            params = make(actor, duck)
            want, got = duck.df(twin, params), pg.df(twin, params)
            assert list(got.columns) == list(want.columns), (twin, username)
            assert _rows(got, ordered) == _rows(want, ordered), (twin, username, params)
            compared += len(want)
    assert compared > 0  # the demo has rows for these actors: the comparison compared something


@pytest.mark.slow
def test_the_project_sizes_follow_every_write_of_units_and_residents(stores):
    """csm_pg.project_sizes (migration pg/028) is what org/counts and admin/projects read on
    PostgreSQL: its triggers keep it equal to a fresh count after inserts, a delete, an update
    that moves a unit to another project and an emptied table (statement-level, several rows per
    statement, as an import writes them). Done in a transaction rolled back: the stores stay as
    loaded for the other tests."""
    import psycopg

    _duck, pg = stores
    fresh = ("SELECT project_id, count(*) FILTER (WHERE k = 'u'), count(*) FILTER (WHERE k = 'r') FROM "
             "(SELECT project_id, 'u' AS k FROM units UNION ALL SELECT project_id, 'r' FROM residents) x "
             "GROUP BY project_id")
    kept = "SELECT project_id, units, residents FROM csm_pg.project_sizes WHERE units <> 0 OR residents <> 0"
    with psycopg.connect(pg.path) as conn:
        def same() -> set:
            want = set(conn.execute(fresh).fetchall())
            assert set(conn.execute(kept).fetchall()) == want
            return want
        loaded = same()
        assert sum(n for _p, n, _r in loaded) == conn.execute("SELECT count(*) FROM units").fetchone()[0] > 0
        first, second = (r[0] for r in conn.execute("SELECT id FROM projects ORDER BY id LIMIT 2").fetchall())
        building = conn.execute("SELECT id FROM buildings WHERE project_id = %s LIMIT 1", [first]).fetchone()[0]
        conn.execute("INSERT INTO units (project_id, building_id, code) "
                     "SELECT %s, %s, 'T-' || g FROM generate_series(1, 3) g", [first, building])
        conn.execute("INSERT INTO residents (project_id, unit_id, name) "
                     "SELECT project_id, id, 'T' FROM units WHERE code LIKE 'T-%%'")
        assert same() != loaded
        conn.execute("UPDATE units SET project_id = %s WHERE code = 'T-1'", [second])
        conn.execute("UPDATE residents SET name = 'U' WHERE name = 'T'")  # no project moves: no change
        same()
        conn.execute("DELETE FROM residents WHERE name = 'U'")
        conn.execute("DELETE FROM units WHERE code LIKE 'T-%%'")
        assert same() == loaded
        conn.execute("TRUNCATE residents CASCADE")
        assert all(r == 0 for _p, _u, r in conn.execute("SELECT * FROM csm_pg.project_sizes").fetchall())
        conn.rollback()


@pytest.mark.slow
def test_units_saved_on_the_admin_grid_show_in_the_counts_of_both_engines(stores):
    """The admin grid's command adds two units to a project on both stores: the home page's
    counts and the organisation grid's unit column (their PostgreSQL twins read project_sizes)
    still equal the DuckDB file's, and grew by two. Last in the file: it writes into both."""
    from csm import admin
    from csm.admin import commands as admin_commands

    duck, pg = stores
    hq = _actor(duck, "hq")
    before = duck.df("org/counts", hq.params())
    for db in (duck, pg):
        actor = _actor(db, "admin")
        project = int(db.df("admin/projects")["id"].iloc[0])
        building = int(db.df("admin/buildings", {"project_id": project})["id"].iloc[0])
        params = {"project_id": project}
        base = admin.load_grid(db, admin.UNITS, params)
        extra = pd.DataFrame([{"code": "Z-901", "building_id": building, "floor": 9, "area_m2": 50.0},
                              {"code": "Z-902", "building_id": building, "floor": 9, "area_m2": 60.0}])
        admin_commands.save_units(db, actor, project, base, pd.concat([base, extra], ignore_index=True))
    for name, params in (("org/counts", hq.params()), ("admin/projects", {})):
        assert _rows(pg.df(name, params), True) == _rows(duck.df(name, params), True), name
    assert int(duck.df("org/counts", hq.params())["units"].iloc[0]) == int(before["units"].iloc[0]) + 2
