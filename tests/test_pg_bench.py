"""`python -m tools.bench --engine postgres` (docs/storage.md slice 8): its plan, its results line,
the saves with writers in several processes on one PostgreSQL store (every save found, codes
unique and gap-free across the processes), and the loader's drop."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest

from csm.db import open_database


def test_the_postgres_plan_leaves_out_what_reads_the_duckdb_file_and_records_its_engine():
    from tools import bench

    plan = bench._plan(bench.build_parser().parse_args(["--engine", "postgres"]))
    assert (plan.engine, plan.peer, plan.imports, plan.processes) == ("postgres", False, False, (1, 2, 4))
    assert plan.ramp_levels == bench.PG_RAMP_LEVELS and plan.sql_runs <= 3
    duck = bench._plan(bench.build_parser().parse_args([]))
    assert (duck.engine, duck.peer, duck.imports) == ("duckdb", True, True)  # the DuckDB run unchanged
    report = {"started_at": "2026-12-01T22:00:00", "db": "postgresql://csm_test:***@127.0.0.1/csm_bench",
              "engine": "postgres", "pages": [], "processes": [{"processes": 2, "ramp": [], "sustained": None}]}
    line = bench.results_line(report)
    assert line["engine"] == "postgres" and line["processes"][0]["processes"] == 2
    assert bench.results_line({**report, "engine": "duckdb"})["engine"] == "duckdb"


@pytest.fixture(scope="module")
def store(pg_server, tmp_path_factory):
    from tools import bench_pg_load, demo

    folder = tmp_path_factory.mktemp("pgbench")
    path = str(folder / "demo.duckdb")
    db = open_database(path)
    try:
        demo.generate(db, size="tiny", seed=11)
        db.checkpoint()
    finally:
        db.close()
    shutil.copyfile(path, str(folder / "source.duckdb"))
    name = f"csm_t_bench_{uuid.uuid4().hex[:8]}"
    loaded = bench_pg_load.load(str(folder / "source.duckdb"), pg_server, name, say=lambda _m: None)
    yield loaded["url"], name
    bench_pg_load.drop(pg_server, name)


@pytest.mark.slow
def test_writers_in_several_processes_all_save_with_unique_gap_free_codes(store):
    from tools.bench_saves import time_saves_processes

    url, _name = store
    out = time_saves_processes(url, procs=2, threads=3, per_writer=2)
    assert (out["processes"], out["writers"], out["attempted"]) == (2, 6, 12)
    assert out["errors"] == [] and out["saved"] == out["in_db"] == 12 == out["n"]
    assert out["codes_unique"] and out["gap_free"]


@pytest.mark.slow
def test_the_loader_drops_its_database_and_says_its_size(pg_server, store):
    from tools import bench_pg_load

    _url, name = store
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}_x"')
    assert bench_pg_load.drop(pg_server, f"{name}_x").endswith(("kB", "MB"))
    with psycopg.connect(pg_server) as conn:
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [f"{name}_x"]).fetchone()[0] == 0
    assert bench_pg_load.drop(pg_server, f"{name}_x") is None
