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


def test_in_process_mode_writes_json_and_refuses_unknown_pages(demo_db_file, tmp_path, capsys):
    out = tmp_path / "results.json"
    code = bench.main(["--in-process", "--db", str(demo_db_file), "--runs", "1", "--pages", "account",
                       "--no-saves", "--out", str(out)])
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {r["name"] for r in report["results"]} == {"account"}
    assert "account" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown page id"):
        bench.main(["--db", str(demo_db_file), "--pages", "nope", "--out", str(out)])
    with pytest.raises(SystemExit, match="--generate"):
        bench.main(["--db", str(tmp_path / "missing.duckdb"), "--out", str(out), "--no-browser"])


# ---- the server benchmark -------------------------------------------------------------------
def test_quick_run_on_a_running_server(demo_db_file, tmp_path, capsys):
    """`--quick`: a real server on a copy, the page through its websocket as hq and as a clerk, the
    statements it issued timed alone, memory, ramp, the pandas peer and the saves; one table whose
    last line is the worst page; one line appended to the results file."""
    before = digest(demo_db_file)
    out, results = tmp_path / "bench.json", tmp_path / "results.jsonl"
    code = bench.main(["--quick", "--db", str(demo_db_file), "--pages", "complaints", "--out", str(out),
                       "--results", str(results)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert digest(demo_db_file) == before, "the benchmark works on a copy"

    report = json.loads(out.read_text(encoding="utf-8"))
    pages = {(p["name"], p["role"]): p for p in report["pages"]}
    assert set(pages) == {("complaints", "hq"), ("complaints", "clerk1")}
    for p in pages.values():
        assert p["error"] is None, p
        assert p["warm"]["n"] == bench.QUICK.warm_runs and p["cold"]["n"] == bench.QUICK.cold_runs
        assert 0 < p["warm"]["p50"] <= p["warm"]["p95"]
        assert p["kb"] > 1  # the worklist's table went over the websocket
        assert p["statements_warm"] > 0 and p["sql_warm_ms"] > 0 and p["sql_cold_ms"] > 0 and p["ratio"] > 0
        assert p["warm_ratio"] > 0 and p["cached_ratio"] > 0
        assert not p["sql_errors"], p["sql_errors"]
    names = {s["name"] for s in report["worst_statements"]}
    assert "complaints/worklist" in names  # the desk's own statement, recorded inside the server

    assert set(report["memory"]) >= {"1", "2", "closed"} and report["memory"]["1"] > 50
    assert [lv["clients"] for lv in report["ramp"]][:1] == [1] and report["ramp"][0]["reruns"] >= 1
    assert {p["figure"] for p in report["peer"]} == {"satisfaction by project x wave", "complaints per status",
                                                    "resolved per band of hours (365 days)"}
    assert all(p["same_figures"] for p in report["peer"]), report["peer"]
    single, many = report["saves"]
    assert (single["writers"], many["writers"]) == (1, bench.QUICK.writers)
    for s in (single, many):
        assert s["in_db"] == s["saved"] and s["codes_unique"] and s["gap_free"], s
    assert many["saved"] == bench.QUICK.writers * bench.QUICK.per_writer

    lines = printed.strip().splitlines()
    assert lines[0].split()[:4] == ["what", "name", "role", "n"]
    assert any(line.startswith("page") and "complaints" in line and "clerk1" in line for line in lines)
    worst = max(pages.values(), key=lambda p: (p["warm"]["p50"], p["warm"]["p95"]))
    assert lines[-1] == (f"worst page p50={worst['warm']['p50']:.0f} ms p95={worst['warm']['p95']:.0f} ms "
                         f"({worst['name']} as {worst['role']})")
    saved = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert len(saved) == 1
    assert saved[0]["commit"] and saved[0]["date"] and saved[0]["load"]["load_before"]
    assert saved[0]["worst_page"]["page"] == "complaints"


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    from tools import bench_server as bs

    work = tmp_path_factory.mktemp("server")
    copy = work / "csm.duckdb"
    copy.write_bytes(demo_db_file.read_bytes())
    srv = bs.start_server(str(copy), work, "test-cookie-key-that-is-long-enough-for-hs256")
    yield srv
    bs.stop_server(srv)


def test_the_websocket_client_is_logged_in_by_the_cookie_and_sees_refusals(server):

    from csm.i18n import t
    from tools import bench_server as bs
    from tools import bench_sqlrec

    async def visit(username, page):
        client = await bs.Client(server, username).connect()
        try:
            await client.rerun("")  # the app's first run registers its pages
            return await client.rerun(page), client._shown()
        finally:
            await client.close()

    desk, shown = bs.run(visit("clerk1", "complaints"))
    assert desk.problems == [] and shown == "complaints"
    calls = bench_sqlrec.read(str(server.sql_log), *desk.sql)
    assert "complaints/worklist" in {c.name for c in calls}
    assert all(c.params["scope_kind"] == "project" for c in calls if c.name == "complaints/worklist")

    refused, _ = bs.run(visit("clerk1", "admin_users"))
    assert refused.problems == [f"error shown: {t('error.permission_denied', lang='zh')}"]

    nobody = bs.run(bs.time_page(server, "complaints", "nobody", 1, 0))
    assert nobody.error is not None and not nobody.warm  # no such user: the login screen, not the desk


def test_statements_are_timed_alone_and_writes_undone(db):
    from tools import bench_sqlrec

    before = db.value("demo/count_complaints")
    calls = [bench_sqlrec.Call("t", "Database.rows", "demo/count_complaints", None, 1.0),
             bench_sqlrec.Call("t", "Tx.execute", "demo/count_complaints", None, 1.0),
             bench_sqlrec.Call("t", "Database.df", "demo/no_such_statement", None, 1.0)]
    alone = bench_sqlrec.time_alone(db, calls, runs=2)
    assert isinstance(alone[calls[0].key], float) and isinstance(alone[calls[1].key], float)
    assert "no_such_statement" in alone[calls[2].key]
    assert db.value("demo/count_complaints") == before


def test_a_busy_machine_is_said(monkeypatch):
    said = []
    monkeypatch.setattr(bench, "loadavg", lambda: (9.5, 8.0, 7.0))
    state = bench.check_load(1.0, 0, said.append)
    assert state["busy"] and state["load_before"] == (9.5, 8.0, 7.0)
    assert said and "busy" in said[0]
    monkeypatch.setattr(bench, "loadavg", lambda: (0.2, 0.3, 0.4))
    said.clear()
    assert not bench.check_load(1.0, 0, said.append)["busy"] and not said


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


def test_the_bench_stops_the_ops_service_before_removing_its_copy(demo_db_file):
    """The service's heartbeat writes into the copy's .control folder every half second: left
    running, it raced the removal of the temporary folder (CI: 'Directory not empty')."""
    from csm.ops import service

    bench.run_bench(str(demo_db_file), runs=bench.MIN_RUNS, page_ids=["account"], saves=False)
    assert service.current() is None


def test_the_ratio_is_judged_strictly_on_duckdb_and_only_shown_on_postgresql():
    """A cold rerun of 274 ms over statements of 168 ms alone is 1.63x: over the 1.6x line (it was
    rounded to 1.6 and passed). On PostgreSQL the issue's targets are p50 / p95 only."""
    from types import SimpleNamespace as NS

    call = NS(key="q1", name="surveys/trend", ms=160.0)
    pt = NS(page="survey_analysis", role="hq", warm=[NS(ms=44.0, kb=22.0)] * 10,
            cold=[NS(ms=274.0, kb=22.0)] * 10, first=None, error=None)
    alone = {"q1": 168.0}
    duck = bench._page_rows([(pt, [[call]], [[call]])], alone)[0]
    assert duck["ratio"] == 1.63 and duck["status"] == "FAIL ratio"
    pg = bench._page_rows([(pt, [[call]], [[call]])], alone, (300, 800), judge_ratio=False)[0]
    assert pg["ratio"] == 1.63 and pg["status"] == "PASS"
