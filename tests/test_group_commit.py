"""Group commit of filings (issue 12, "Concurrency figures to keep"): concurrent
`complaints.file_complaint` calls of one process share one transaction. Checked here through
the real command on a real DuckDB file: everything saved under unique, gap-free codes with its
history and audit, each caller its own result or its own error, a failing batch written again
one by one, a process killed in the middle of a batch leaving nothing half-written. The timing
itself is in the benchmark (tools/bench_saves.py), not here."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from csm import audit, complaints
from csm.complaints import steps
from csm.errors import ConflictError, ValidationFailed
from tests.conftest import ROOT
from tests.test_complaints import intake, user

SH = ZoneInfo("Asia/Shanghai")


def sql(db, text: str, params=None) -> list[tuple]:
    cur = db.cursor()
    try:
        return cur.execute(text, params or []).fetchall()
    finally:
        cur.close()


def numbers(db, year: int) -> list[int]:
    return sorted(int(code[-6:]) for (code,) in sql(db, "SELECT code FROM complaints WHERE code LIKE ?",
                                                     [f"TS-{year}-%"]))


def gate(monkeypatch, waiting: int):
    """Holds the first batch until `waiting` more filings are queued behind it, so that the next
    batch holds them all (a batch is made of whatever waits while the previous one commits)."""
    real = steps.file_many
    release, first = threading.Event(), threading.Event()
    sizes: list[int] = []

    def held(tx, filings, tz, reference=None):
        if not first.is_set():
            first.set()
            release.wait(30)
        sizes.append(len(filings))
        return real(tx, filings, tz, reference)

    monkeypatch.setattr(steps, "file_many", held)

    def open_when_queued(db):
        first.wait(30)
        group = db.group_commit("complaints.file", None)
        for _ in range(3000):
            with group._lock:
                if len(group._pending) >= waiting:
                    break
            threading.Event().wait(0.01)
        release.set()

    return sizes, first, open_when_queued


def file_all(calls, after_first: threading.Event | None = None) -> tuple[list, list]:
    """Runs each call in its own thread; returns the threads and each call's result or exception,
    in order. With `after_first`, the first call starts alone and the others once it is set."""
    out: list = [None] * len(calls)

    def run(i):
        try:
            out[i] = calls[i]()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for k, th in enumerate(threads):
        th.start()
        if k == 0 and after_first is not None:
            assert after_first.wait(30)
    return threads, out


def test_twenty_writers_times_twenty_five_all_saved_with_history_audit_and_their_own_code(db):
    clerks = [user(db, "clerk1"), user(db, "clerk2")]  # two projects, two scopes in the same batches
    year = datetime.now(SH).year
    before = numbers(db, year)
    results: dict[str, dict] = {}
    errors = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        clerk = clerks[w % 2]
        try:
            for k in range(25):
                text = f"并发登记 {w}-{k}：楼道灯不亮"
                out = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description=text))
                with lock:
                    results[text] = out
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors[:3]
    assert len(results) == 500
    codes = [r["code"] for r in results.values()]
    assert len(set(codes)) == 500
    after = numbers(db, year)
    assert after == list(range(1, len(after) + 1)) and len(after) == len(before) + 500  # gap-free from 1
    ids = [r["id"] for r in results.values()]
    by_id = {cid: (code, text, project, by) for cid, code, text, project, by in sql(
        db, "SELECT id, code, description, project_id, received_by FROM complaints WHERE list_contains(?, id)", [ids])}
    history = dict(sql(db, "SELECT complaint_id, count(*) FROM complaint_history WHERE list_contains(?, complaint_id) "
                           "AND action = 'file' GROUP BY ALL", [ids]))
    audited = dict(sql(db, "SELECT entity_id, count(*) FROM audit_log WHERE entity = 'complaint' AND action = 'create' "
                           "AND list_contains(?, entity_id) GROUP BY ALL", [[str(i) for i in ids]]))
    for text, out in results.items():  # each caller got its own complaint: its text, project and code
        code, saved_text, project, by = by_id[out["id"]]
        w = int(text.split()[1].split("-")[0])
        assert (code, saved_text, project, by) == (out["code"], text, clerks[w % 2].scope.id, clerks[w % 2].username)
        assert history[out["id"]] == 1 and audited[str(out["id"])] == 1


def test_filings_waiting_together_share_one_transaction(db, monkeypatch):
    clerk = user(db, "clerk1")
    sizes, first, open_when_queued = gate(monkeypatch, waiting=9)
    threads, out = file_all([lambda i=i: complaints.file_complaint(
        db, clerk, intake(db, clerk.scope.id, description=f"同批 {i}")) for i in range(10)], first)
    open_when_queued(db)
    for th in threads:
        th.join()
    assert sorted(sizes) == [1, 9]  # the first alone, the nine that waited behind it in one transaction
    assert all(isinstance(r, dict) for r in out)
    assert len({r["code"] for r in out}) == 10
    for i, r in enumerate(out):
        assert db.one("complaints/row", {"id": r["id"]})["description"] == f"同批 {i}"


def test_a_refused_form_in_a_batch_refuses_only_its_caller(db, monkeypatch):
    clerk, other = user(db, "clerk1"), user(db, "clerk2")
    year = datetime.now(SH).year
    before = numbers(db, year)
    sizes, first, open_when_queued = gate(monkeypatch, waiting=5)
    forms = [(clerk, intake(db, clerk.scope.id, description="先到的")),
             (clerk, intake(db, clerk.scope.id, description="正常 1")),
             (clerk, intake(db, clerk.scope.id, description="没有姓名", complainant_name=" ")),
             (clerk, intake(db, other.scope.id, description="别的项目")),  # a project outside clerk1's scope
             (other, intake(db, other.scope.id, description="正常 2")),
             (clerk, intake(db, clerk.scope.id, description="正常 3"))]
    threads, out = file_all([lambda a=a, f=f: complaints.file_complaint(db, a, f) for a, f in forms], first)
    open_when_queued(db)
    for th in threads:
        th.join()
    assert sizes == [1, 5]
    assert isinstance(out[2], ValidationFailed) and [p.field for p in out[2].problems] == ["complainant"]
    assert isinstance(out[3], ValidationFailed) and [p.field for p in out[3].problems] == ["project"]
    saved = [out[i] for i in (0, 1, 4, 5)]
    assert all(isinstance(r, dict) for r in saved)
    for i in (0, 1, 4, 5):
        assert db.one("complaints/row", {"id": out[i]["id"]})["description"] == forms[i][1].description
    assert sql(db, "SELECT count(*) FROM complaints WHERE description IN ('没有姓名', '别的项目')") == [(0,)]
    after = numbers(db, year)  # the refused forms took no number
    assert after == list(range(1, len(after) + 1)) and len(after) == len(before) + 4


def test_a_filing_that_fails_inside_the_batch_fails_alone_and_leaves_nothing_half_written(db, monkeypatch):
    clerk = user(db, "clerk1")
    year = datetime.now(SH).year
    before = numbers(db, year)
    sizes, first, open_when_queued = gate(monkeypatch, waiting=4)
    real_json = audit.to_json

    def failing(data):  # the audit record is written after the complaint rows of the batch
        if isinstance(data, dict) and data.get("description") == "坏的":
            raise RuntimeError("disk full")
        return real_json(data)

    monkeypatch.setattr(audit, "to_json", failing)
    texts = ["先到的", "好的 1", "坏的", "好的 2", "好的 3"]
    threads, out = file_all([lambda t=t: complaints.file_complaint(db, clerk, intake(db, clerk.scope.id,
                                                                                       description=t))
                             for t in texts], first)
    open_when_queued(db)
    for th in threads:
        th.join()
    # the batch of four failed as a whole, then each of them was written on its own
    assert sizes[:2] == [1, 4] and sorted(sizes[2:]) == [1, 1, 1, 1]
    assert isinstance(out[2], RuntimeError) and str(out[2]) == "disk full"
    for i in (0, 1, 3, 4):
        assert isinstance(out[i], dict)
    counts = dict(sql(db, "SELECT description, count(*) FROM complaints WHERE list_contains(?, description) "
                          "GROUP BY ALL", [texts]))
    assert counts == {t: 1 for t in texts if t != "坏的"}  # once each: nothing of the failed batch is left
    orphans = sql(db, "SELECT count(*) FROM complaint_history h WHERE NOT EXISTS "
                      "(SELECT 1 FROM complaints c WHERE c.id = h.complaint_id)")
    assert orphans == [(0,)]
    for i in (0, 1, 3, 4):
        assert sql(db, "SELECT count(*) FROM complaint_history WHERE complaint_id = ?", [out[i]["id"]]) == [(1,)]
    after = numbers(db, year)
    assert after == list(range(1, len(after) + 1)) and len(after) == len(before) + 4
    monkeypatch.setattr(audit, "to_json", real_json)
    nxt = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))["code"]
    assert int(nxt[-6:]) == after[-1] + 1  # the failed filing's number was rolled back and is used next


def test_a_failed_filing_alone_takes_no_number(db, monkeypatch):
    clerk = user(db, "clerk1")
    received = datetime(2026, 5, 1, 9, tzinfo=SH)
    first = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    real = steps.file_many

    def broken(tx, filings, tz, reference=None):
        real(tx, filings, tz, reference)  # everything written, then the transaction fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(steps, "file_many", broken)
    with pytest.raises(RuntimeError):
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))
    monkeypatch.setattr(steps, "file_many", real)
    second = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, received_at=received))["code"]
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_two_updates_of_one_complaint_still_give_one_winner_and_the_conflict_message(db):
    sup = user(db, "supervisor1")
    cid = complaints.file_complaint(db, user(db, "clerk1"), intake(db, user(db, "clerk1").scope.id))["id"]
    barrier = threading.Barrier(2)

    def judge(grade):
        barrier.wait()
        return complaints.judge(db, sup, cid, 1, "valid", "依据", grade, "normal")

    threads, out = file_all([lambda: judge("important"), lambda: judge("major")])
    for th in threads:
        th.join()
    winners = [r for r in out if isinstance(r, dict)]
    losers = [r for r in out if not isinstance(r, dict)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], ConflictError)
    assert losers[0].message() == "该记录已被其他用户修改，请刷新后重试。"
    row = db.one("complaints/row", {"id": cid})
    assert row["version"] == 2 and row["grade"] == winners[0]["grade"]
    assert sql(db, "SELECT count(*) FROM complaint_history WHERE complaint_id = ? AND action = 'judge' "
                   "AND field = 'grade'", [cid]) == [(1,)]


KILLED = textwrap.dedent("""
    import os, signal, sys, threading
    sys.path.insert(0, sys.argv[2])
    from csm import audit, complaints
    from csm.db import open_database
    from tests.test_complaints import intake, user

    db = open_database(sys.argv[1])
    clerk = user(db, "clerk1")
    real = audit.to_json
    def killed(data):  # the batch's complaint rows are written: die before their history, audit, COMMIT
        if isinstance(data, dict) and str(data.get("description", "")).startswith("被杀"):
            print("dying", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(data)
    audit.to_json = killed
    complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description="活的"))
    print("filed", flush=True)
    threads = [threading.Thread(target=complaints.file_complaint,
                                args=(db, clerk, intake(db, clerk.scope.id, description=f"被杀 {i}")))
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
""")


def test_a_process_killed_in_the_middle_of_a_batch_leaves_no_half_written_filing(db_path):
    from csm.db import open_database

    year = datetime.now(SH).year
    first = open_database(db_path)
    before = numbers(first, year)
    first.close()
    run = subprocess.run([sys.executable, "-c", KILLED, db_path, str(ROOT)], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == -9, run.stderr[-2000:]
    assert "filed" in run.stdout and "dying" in run.stdout

    again = open_database(db_path)
    try:
        assert sql(again, "SELECT count(*) FROM complaints WHERE description = '活的'") == [(1,)]  # acknowledged
        assert sql(again, "SELECT count(*) FROM complaints WHERE description LIKE '被杀%'") == [(0,)]
        assert sql(again, "SELECT count(*) FROM complaint_history h WHERE NOT EXISTS "
                          "(SELECT 1 FROM complaints c WHERE c.id = h.complaint_id)") == [(0,)]
        after = numbers(again, year)
        assert after == list(range(1, len(after) + 1)) and len(after) == len(before) + 1
        clerk = user(again, "clerk1")
        nxt = complaints.file_complaint(again, clerk, intake(again, clerk.scope.id))["code"]
        assert int(nxt[-6:]) == after[-1] + 1  # the numbers of the killed batch were never taken
    finally:
        again.close()


def test_reference_rows_read_once_until_reference_data_changes(db):
    """A filing's lookups (project in scope, channel, category, limits, calendar) are cached
    between batches; any other committed transaction (an administrator's change) drops them."""
    clerk = user(db, "clerk1")
    complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))
    cache, version = db.reference_cache(), db.reference_version
    assert any(key[0] == "limits" for key in cache)
    complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))
    assert db.reference_version == version and db.reference_cache() is cache  # a filing changes no reference data
    channel = intake(db, clerk.scope.id).channel_id
    db.transaction(lambda tx: tx.cur.execute("UPDATE channels SET active = FALSE WHERE id = ?", [channel]))
    assert db.reference_cache() is not cache
    with pytest.raises(ValidationFailed) as err:  # the channel switched off a moment ago is refused at once
        complaints.file_complaint(db, clerk, intake(db, clerk.scope.id))
    assert [p.field for p in err.value.problems] == ["channel"]


def test_writers_back_from_a_shared_transaction_share_the_next_one(db, monkeypatch):
    """Lingering: after the batch of nine, the first writer back does not commit alone: it waits
    for the others, and their second filings share one transaction (without it: 1, 9, 1, 9)."""
    from csm.db import GroupCommit

    monkeypatch.setattr(GroupCommit, "LINGER", 10.0)  # the mechanism, not the tuning: nobody is too late
    monkeypatch.setattr(GroupCommit, "LINGER_AFTER", 10.0)
    clerk = user(db, "clerk1")
    sizes, first, open_when_queued = gate(monkeypatch, waiting=9)
    held = steps.file_many

    def nine_wait_for_the_first_writer(tx, filings, tz, reference=None):
        """A second transaction of the nine is held until the first writer's second filing queues
        behind it: it came during their transaction, so the lingering committer waits for ten
        (under load it could otherwise come after their commit, and 9 + the last alone was as
        right: 1, 9, 9, 1). If that filing joined the nine still queued, nothing is held."""
        if len(sizes) == 1 and len(filings) == 9:
            group = db.group_commit("complaints.file", None)
            for _ in range(3000):
                with group._lock:
                    if group._pending:
                        break
                threading.Event().wait(0.01)
        return held(tx, filings, tz, reference)

    monkeypatch.setattr(steps, "file_many", nine_wait_for_the_first_writer)

    def twice(i):
        one = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description=f"第一次 {i}"))
        two = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description=f"第二次 {i}"))
        return one, two

    threads, out = file_all([lambda i=i: twice(i) for i in range(10)], first)
    open_when_queued(db)
    for th in threads:
        th.join(60)
    # the first writer alone, then the nine and the ten in either order: the first writer's second
    # filing may join the nine still queued (1, 10, 9: the nine's committer lingers in vain for ten)
    assert sizes[0] == 1 and sorted(sizes[1:]) == [9, 10], sizes
    codes = [r["code"] for pair in out for r in pair]
    assert len(set(codes)) == 20


def test_a_writer_alone_never_lingers_and_a_lingering_committer_gives_up(db, monkeypatch):
    from csm.db import GroupCommit

    clerk = user(db, "clerk1")
    monkeypatch.setattr(GroupCommit, "LINGER", 600.0)
    monkeypatch.setattr(GroupCommit, "LINGER_AFTER", 600.0)
    done = threading.Event()

    def alone():
        for i in range(3):  # each transaction holds one filing: nobody to wait for
            complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description=f"独自 {i}"))
        done.set()

    th = threading.Thread(target=alone)
    th.start()
    assert done.wait(60), "a writer alone waited for writers who do not exist"
    th.join()

    monkeypatch.setattr(GroupCommit, "LINGER", 0.3)  # two wrote together; only one comes back
    sizes, first, open_when_queued = gate(monkeypatch, waiting=2)
    threads, out = file_all([lambda i=i: complaints.file_complaint(
        db, clerk, intake(db, clerk.scope.id, description=f"两人 {i}")) for i in range(3)], first)
    open_when_queued(db)
    for th in threads:
        th.join(60)
    last = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id, description="回来的一个"))
    assert sizes == [1, 2, 1]  # it waited for the second writer in vain, then committed alone
    assert db.one("complaints/row", {"id": last["id"]})["description"] == "回来的一个"
