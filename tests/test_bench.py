"""The benchmark command's shape (not its timings): pages per role, saves, table and JSON."""

from __future__ import annotations

import hashlib
import json

import pytest

from csm.navigation import BY_ID, PAGES, allowed
from tools import bench


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_bench_on_two_pages(demo_db_file):
    before = digest(demo_db_file)
    report = bench.run_bench(str(demo_db_file), runs=1, page_ids=["home", "residents"])
    assert digest(demo_db_file) == before, "the benchmark works on a copy"
    assert report["runs"] == 1
    assert report["data"]["projects"] == 4
    pages = [r for r in report["results"] if r["kind"] == "page"]
    assert [(r["name"], r["role"]) for r in pages] == [
        ("home", "hq"), ("home", "clerk1"), ("residents", "hq"), ("residents", "clerk1")]
    for r in pages:
        assert r["error"] is None, r
        assert len(r["samples_ms"]) == 1 and len(r["rerun_ms"]) == 1
        assert r["median_ms"] > 0 and r["p95_ms"] >= r["median_ms"]
        assert r["target_ms"] == 200
        assert r["status"] in ("PASS", "FAIL")
    saves = {r["name"]: r for r in report["results"] if r["kind"] == "save"}
    assert "revisits.record_service" in saves
    for r in saves.values():
        assert r["target_ms"] == 50
        assert r["status"] in ("PASS", "FAIL", "SKIP"), r
        if r["status"] != "SKIP":
            assert len(r["samples_ms"]) == 1
    json.dumps(report)  # JSON-able as written to data/bench-results.json

    table = bench.format_table(report)
    assert table.splitlines()[0].split()[:6] == ["what", "name", "role", "n", "median", "ms"]
    assert "residents" in table and "clerk1" in table
    assert "within target" in table


def test_main_writes_json_and_refuses_unknown_pages(demo_db_file, tmp_path, capsys):
    out = tmp_path / "results.json"
    code = bench.main(["--db", str(demo_db_file), "--runs", "1", "--pages", "account",
                       "--no-saves", "--out", str(out)])
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {r["name"] for r in report["results"]} == {"account"}
    assert "account" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown page id"):
        bench.main(["--db", str(demo_db_file), "--pages", "nope", "--out", str(out)])
    with pytest.raises(SystemExit, match="--generate"):
        bench.main(["--db", str(tmp_path / "missing.duckdb"), "--out", str(out)])


def test_roles_and_targets():
    for spec in PAGES:
        chosen = bench.roles_for(spec)
        roles = bench.demo_roles()
        assert chosen and all(allowed(roles[u], spec.id) for u in chosen), spec.id
        assert ("clerk1" in chosen) == allowed("clerk", spec.id), spec.id
    assert bench.roles_for(BY_ID["home"])[0] == "hq"  # the widest scope first
    assert bench.target_for(BY_ID["home"]) == 200


def test_percentile_is_nearest_rank():
    samples = [float(v) for v in range(1, 21)]  # 1..20
    assert bench.percentile(samples, 95) == 19.0
    assert bench.percentile(samples, 50) == 10.0
    assert bench.percentile([7.0], 95) == 7.0


def test_a_slow_page_stops_after_its_budget(demo_db_file, monkeypatch):
    monkeypatch.setattr(bench, "BUDGET_S", 0.0)
    report = bench.run_bench(str(demo_db_file), runs=10, page_ids=["account"], saves=False)
    assert {len(r["samples_ms"]) for r in report["results"]} == {bench.MIN_RUNS}
