"""The soak command's shape (not its figures): a running server, clients rerunning, RSS sampled,
the growth from the warm sample to the end and one verdict line; the given file left untouched."""

from __future__ import annotations

import hashlib

from tools import soak


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_short_soak_samples_the_server_and_gives_a_verdict(demo_db_file):
    before = digest(demo_db_file)
    report = soak.soak(str(demo_db_file), minutes=0.3, clients=2, sample_s=4.0,
                       pages=("home", "complaints", "dashboard"), say=lambda *_: None)
    assert digest(demo_db_file) == before, "the server works on a copy"
    assert report["users"] == ["clerk1", "clerk2"] and report["clients"] == 2
    assert report["reruns"] > 2 and not report["problems"], report["problems"]
    samples = report["samples"]
    assert report["rss_samples"] == len(samples) >= 4  # the start, every 4 s, the end
    assert all(s["rss_mb"] and s["rss_mb"] > 50 for s in samples)
    assert [s["t_s"] for s in samples] == sorted(s["t_s"] for s in samples)
    assert 0 < report["base_t_s"] < samples[-1]["t_s"]  # measured from a warm sample, not the start
    assert report["end_mb"] == samples[-1]["rss_mb"]
    inside = [s for s in samples[1:-1] if s.get("duckdb_mb") is not None]  # the server's own breakdown
    assert inside and all(s["py_objects"] > 0 and s["duckdb_tags_mb"] for s in inside)
    assert all(s["heap_used_mb"] > 5 and s["heap_free_mb"] >= 0 and s["py_blocks"] > 0 for s in inside)
    assert report["growth_mb"] == round(report["end_mb"] - report["base_mb"], 1)
    assert report["verdict"].startswith(("soak: PASS rss", "soak: FAIL rss"))
    assert f"{report['reruns']} reruns by 2 clients" in report["verdict"]


def test_the_growth_is_measured_from_minute_two_or_a_third_of_a_short_run():
    samples = [{"t_s": float(t), "rss_mb": 100.0} for t in range(0, 1801, 60)]
    assert samples[soak._base_index(samples, 1800)]["t_s"] == 120.0
    long = [{"t_s": float(t), "rss_mb": 100.0} for t in range(0, 2701, 60)]
    assert long[soak._base_index(long, 2700, 15)]["t_s"] == 900.0  # make soak: 45 minutes, judged from 15
    assert samples[soak._base_index(samples, 1800, 15)]["t_s"] == 600.0  # 30 minutes: from a third
    short = [{"t_s": float(t), "rss_mb": 100.0} for t in (0, 4, 8, 12, 16, 18)]
    assert short[soak._base_index(short, 18)]["t_s"] == 8.0


def test_the_verdict_fails_on_growth_and_on_problems():
    report = {"rss_samples": 5, "base_mb": 500.0, "end_mb": 600.0, "growth_mb": 100.0, "growth_pct": 20.0,
              "minutes": 30, "reruns": 900, "clients": 6, "p50_ms": 100, "p95_ms": 300, "problems": []}
    assert soak.verdict(report).startswith("soak: FAIL")
    assert soak.verdict({**report, "end_mb": 510.0, "growth_mb": 10.0, "growth_pct": 2.0}).startswith("soak: PASS")
    assert soak.verdict({**report, "growth_pct": 2.0, "problems": ["clerk1 home: error"]}).startswith("soak: FAIL")
    warm = {**report, "end_mb": 510.0, "growth_mb": 10.0, "growth_pct": 2.0, "warm_minutes": 15, "early_mb": 440.0}
    assert soak.verdict(warm).endswith("; warm-up 15 min: 440.0 -> 500.0 MB since minute 2")  # said, not hidden


def test_the_heap_figures_and_the_trace_see_an_allocation_that_stays():
    """The soak's diagnosis inside the server (csm/ops/service.py): glibc's heap in use grows by
    what a Python bytes object holds, and the heap trace names
    the line that allocated what is still alive since it started."""
    import tracemalloc

    from csm.ops import service

    before = service.heap()
    kept = [bytes(4 * 2**20)]  # 4 MB from the C heap (above the mmap threshold: counted in hblkhd)
    after = service.heap()
    assert after["heap_used_mb"] - before["heap_used_mb"] >= 3.9
    try:
        assert service.heap_trace()["sites"] == []  # started: nothing allocated since
        kept.append([str(i) * 50 for i in range(20_000)])  # about 3 MB of strings, still alive
        sites = service.heap_trace()["sites"]
        assert sites and sites[0]["kb"] > 1000
        assert any("test_soak.py" in frame for frame in sites[0]["where"])
    finally:
        tracemalloc.stop()
        service._TRACE.clear()
    del kept


def test_the_report_keeps_the_servers_tracebacks():
    log = ("2026-12-02 02:20:01 Uncaught app execution\nTraceback (most recent call last):\n"
           '  File "pages/dashboard.py", line 97, in <module>\n    event = ui.vega(spec)\n'
           "KeyError: 'bucket'\nsome later line\nTraceback (most recent call last):\n"
           '  File "pages/complaints.py", line 3\nduckdb.ConversionException: bad\n')
    found = soak.tracebacks(log)
    assert len(found) == 2
    assert found[0].endswith("KeyError: 'bucket'") and "pages/dashboard.py" in found[0]
    assert found[1].endswith("duckdb.ConversionException: bad")
    assert soak.tracebacks("nothing wrong\n") == []
