"""The import targets (issue 11): a complaint ledger with its whole history, revisit records and
service records, tested through the Target protocol (csm/importing/target.py) on a copy of the
tiny demo: typed rows in, plan (add / update / same / reject per line), apply in one transaction
with a batch id, undo. What a user checks: the complaint's code, times and history, the rows a
role sees in its inbox, the dashboard's figures, and what was NOT created (revisit tasks,
escalations, notices)."""

from __future__ import annotations

import csv
import io
import random
import statistics
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from csm import complaints
from csm.complaints import importer
from csm.complaints import reads as complaint_reads
from csm.dashboards import kpis
from csm.dashboards import reads as dash_reads
from csm.i18n import set_lang
from csm.import_targets import TARGETS
from csm.importing.target import Report
from tests.conftest import actor, project_id

SH = ZoneInfo("Asia/Shanghai")
LEDGER = TARGETS["complaints"]
REVISITS = TARGETS["revisits"]
SERVICES = TARGETS["service_records"]


def at(y, mo, d, h=9, mi=0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def frame(rows: list[dict]) -> pd.DataFrame:
    """Typed rows as the mechanism hands them over: one column per field key, and _line."""
    out = pd.DataFrame(rows)
    out["_line"] = range(2, len(rows) + 2)
    return out


def plan(db, who, target, rows) -> Report:
    return Report(db.transaction(lambda tx: target.plan(tx, who, rows)))


def apply(db, who, target, rows, batch_id) -> Report:
    def work(tx):
        outcomes = target.plan(tx, who, rows)
        target.apply(tx, who, rows, outcomes, batch_id)
        return outcomes
    return Report(db.transaction(work))


def ledger_rows() -> list[dict]:
    return [
        {"source_system": "旧台账", "source_ref": "2025-001", "project": "P001", "building": "1栋", "unit": "1-0101",
         "complainant": "王建国", "phone": "13912345678", "channel": "电话", "category": "ENG-WATER",
         "grade": "general", "validity": "valid", "department": "ENG", "description": "卫生间漏水",
         "received_at": at(2025, 3, 5, 14, 30), "first_response_at": at(2025, 3, 5, 16),
         "resolved_at": at(2025, 3, 7, 10), "closed_at": at(2025, 3, 9, 11), "revisited_at": at(2025, 3, 8, 15),
         "satisfaction": "satisfied", "revisit_note": "已修好", "status": None, "handler": "李师傅",
         "result": "更换阀门"},
        {"source_system": "旧台账", "source_ref": "2025-002", "project": "P001", "complainant": "赵敏",
         "category": "SVC-FEE", "description": "物业费收费标准有疑问", "received_at": at(2025, 4, 1, 9),
         "resolved_at": at(2025, 4, 2, 9), "status": "resolved"},
        {"source_system": "旧台账", "source_ref": "2025-003", "project": "P001", "complainant": "孙丽",
         "category": "ENG-LIGHT", "description": "楼道灯不亮", "received_at": at(2025, 5, 1, 9),
         "status": "in_progress"},
    ]


def test_a_ledger_lands_with_its_own_times_codes_and_history(db):
    sup = actor(db, "supervisor1")
    rows = frame(ledger_rows())
    dry = plan(db, sup, LEDGER, rows)
    assert [o.action for o in dry.outcomes] == ["add", "add", "add"]
    assert db.value("complaints/latest_code") is not None  # nothing written by the dry run:
    assert not db.rows("complaints/import_existing", {"systems": ["旧台账"]})

    counter_before = {r["year"]: r["last_no"] for r in _counters(db)}
    apply(db, sup, LEDGER, rows, batch_id=41)
    got = {r["source_ref"]: r for r in db.rows("complaints/import_existing", {"systems": ["旧台账"]})}
    first = complaint_reads.complaint(db, sup, got["2025-001"]["id"])
    # its own times, in the year of receipt's code sequence, marked imported
    assert first["received_at"] == at(2025, 3, 5, 14, 30) and first["closed_at"] == at(2025, 3, 9, 11)
    assert first["first_response_at"] == at(2025, 3, 5, 16) and first["resolved_at"] == at(2025, 3, 7, 10)
    assert first["status"] == "closed" and first["unit_text"] == "1-0101"
    codes = sorted(complaint_reads.complaint(db, sup, r["id"])["code"] for r in got.values())
    start = counter_before.get(2025, 0)
    assert codes == [f"TS-2025-{n:06d}" for n in range(start + 1, start + 4)]
    assert {r["year"]: r["last_no"] for r in _counters(db)}[2025] == start + 3
    # history at its own times (imported, resolved, closed) and the handler's record
    timeline = complaint_reads.timeline(db, sup, got["2025-001"]["id"])
    times = {(r["action"], r["at_time"]) for r in _records(timeline)}
    assert ("import", at(2025, 3, 5, 14, 30)) in times and ("close", at(2025, 3, 9, 11)) in times
    assert any(r["who"] == "李师傅" and r["content"] == "更换阀门" for r in _records(timeline))
    # the ledger's revisit is a done revisit; nothing is open for anybody
    tasks = _tasks(db, got["2025-001"]["id"])
    assert [(t["status"], t["satisfaction"]) for t in tasks] == [("done", "satisfied")]
    for ref in ("2025-002", "2025-003"):
        assert _tasks(db, got[ref]["id"]) == []

    # the same file again: nothing to add; a corrected row is an update with its history line
    assert [o.action for o in plan(db, sup, LEDGER, rows).outcomes] == ["same", "same", "same"]
    fixed = ledger_rows()
    fixed[2].update(status="resolved", resolved_at=at(2025, 5, 3, 9), department="CS")
    report = apply(db, sup, LEDGER, frame(fixed), batch_id=42)
    assert [o.action for o in report.outcomes] == ["same", "same", "update"]
    third = complaint_reads.complaint(db, sup, got["2025-003"]["id"])
    assert third["status"] == "resolved" and third["code"] == complaint_reads.complaint(
        db, sup, got["2025-003"]["id"])["code"]
    changes = {(r["field"], r["from_value"], r["to_value"]) for r in _records(
        complaint_reads.timeline(db, sup, got["2025-003"]["id"])) if r["action"] == "import"}
    assert ("status", "in_progress", "resolved") in changes
    # undoing the correction puts the row back; undoing the first import gives its codes back
    assert db.transaction(lambda tx: LEDGER.undo(tx, sup, 42)) == 1
    assert complaint_reads.complaint(db, sup, got["2025-003"]["id"])["status"] == "in_progress"
    assert db.transaction(lambda tx: LEDGER.undo(tx, sup, 41)) == 3
    assert not db.rows("complaints/import_existing", {"systems": ["旧台账"]})
    assert _tasks(db, got["2025-001"]["id"]) == []  # the ledger's revisit went with it
    assert _count(db, "complaint_history WHERE import_batch_id IN (41, 42)") == 0
    assert {r["year"]: r["last_no"] for r in _counters(db)}.get(2025, 0) == start


def test_rejected_rows_are_named_in_the_users_language(db):
    sup = actor(db, "supervisor1")
    p3 = db.one("org/project_by_code", {"code": "P003"})
    bad = ledger_rows()
    bad[0]["project"] = "不存在的项目"
    bad[1]["project"] = p3["name"]                       # a real project, outside the supervisor's
    bad[2].update(resolved_at=at(2025, 4, 30), status="resolved")  # resolved before it was received
    extra = {**ledger_rows()[0], "source_ref": "2025-001"}  # the first ticket again
    report = plan(db, sup, LEDGER, frame([*bad, extra, {**ledger_rows()[1], "source_ref": "2025-009", "category": "PLUMBING"}]))
    assert [(o.line, o.action, o.column) for o in report.outcomes] == [
        (2, "reject", "project"), (3, "reject", "project"), (4, "reject", "resolved_at"), (5, "reject", "source_ref"),
        (6, "reject", "category")]
    messages = [o.reason.message() for o in report.rejected]
    assert messages[0] == "没有名为或编号为“不存在的项目”的项目"
    assert messages[1] == f"“{p3['name']}”不在您的管辖范围内"
    assert messages[2] == "早于受理时间"
    assert messages[3] == "单号 2025-001 在文件中出现了两次"
    set_lang("en")
    assert report.rejected[4].reason.message() == "unknown value “PLUMBING” (map it in the value mapping)"
    # nothing is written for a rejected file: apply is the mechanism's all-or-nothing
    assert not db.rows("complaints/import_existing", {"systems": ["旧台账"]})


def test_imported_codes_keep_the_live_sequence_gap_free(db):
    """Rows received this year take the next numbers of this year's counter in one block; a
    complaint filed afterwards continues the sequence; undo is refused once it would leave a gap."""
    sup = actor(db, "supervisor1")
    now = sup.now().astimezone(SH)
    year = now.year
    live_before = _file(db)["code"]
    rows = [{"source_ref": f"H-{i}", "project": "P001", "complainant": "历史", "category": "ENG-GAS",
             "description": "燃气", "received_at": now - timedelta(days=30 + i), "resolved_at": now - timedelta(days=29 + i),
             "closed_at": now - timedelta(days=28 + i)} for i in range(3)]
    apply(db, sup, LEDGER, frame(rows), batch_id=7)
    live_after = _file(db)["code"]
    n0 = int(live_before.rsplit("-", 1)[1])
    assert live_before.startswith(f"TS-{year}-") and int(live_after.rsplit("-", 1)[1]) == n0 + 4
    imported = sorted(complaint_reads.complaint(db, sup, r["id"])["code"]
                      for r in db.rows("complaints/import_existing", {"systems": [importer.DEFAULT_SYSTEM]}))
    assert imported == [f"TS-{year}-{n:06d}" for n in range(n0 + 1, n0 + 4)]
    # the oldest received got the first number
    oldest = _sql(db, f"SELECT received_at FROM complaints WHERE code = '{imported[0]}'")[0][0]
    assert oldest == rows[2]["received_at"]
    with pytest.raises(Exception) as refused:
        db.transaction(lambda tx: LEDGER.undo(tx, sup, 7))
    assert refused.value.message() == f"{year} 年在这批导入之后又登记了投诉，撤销会使编号出现空缺"


def test_imported_history_creates_no_revisit_task_escalation_or_inbox_item(db):
    """Old open and resolved complaints, long past every due time: after the escalation and the
    flows have run, none of them is escalated, none has a revisit task or notice, and the inbox of
    the project's supervisor and manager does not list them."""
    sup = actor(db, "supervisor1")
    rows = [{"source_ref": f"OLD-{i}", "project": "P001", "complainant": "历史", "category": "PUB-GEN",
             "description": "公共区域", "received_at": at(2025, 6, 1 + i),
             "resolved_at": at(2025, 6, 3 + i) if i % 2 else None, "status": "resolved" if i % 2 else status}
            for i, status in enumerate(["received", "judged", "dispatched", "in_progress", "received", "resolved"])]
    rows[-1]["resolved_at"] = at(2025, 6, 9)
    apply(db, sup, LEDGER, frame(rows), batch_id=9)
    ids = {r["id"] for r in db.rows("complaints/import_existing", {"systems": [importer.DEFAULT_SYSTEM]})}
    assert len(ids) == 6
    mine = ", ".join(str(i) for i in ids)
    notices = f"notifications WHERE complaint_id IN ({mine})"
    assert _count(db, notices) == 0
    complaints.escalate_all(db)           # the scheduler's escalation run
    for user in ("supervisor1", "manager_p1", "manager_b1", "clerk1", "hq"):
        who = actor(db, user)
        items, _ = complaint_reads.inbox_page(db, who, per_page=500)
        assert not ids & set(items["complaint_id"].dropna().astype(int)) if not items.empty else True
    for cid in ids:
        c = complaint_reads.complaint(db, sup, cid)
        assert c["escalation_level"] == "project"
        assert _tasks(db, cid) == []
        assert not [r for r in _records(complaint_reads.timeline(db, sup, cid)) if r["action"] == "escalate"]
    assert _count(db, notices) == 0
    # a live complaint, equally late, is escalated by the same run (the check can fail)
    live = _file(db, received_at=datetime.now(UTC) - timedelta(days=20))
    assert complaints.escalate_all(db) >= 1
    assert complaint_reads.complaint(db, sup, live["id"])["escalation_level"] != "project"


def test_a_foreign_export_gives_the_dashboard_the_files_median_hours_to_close(db, tmp_path):
    """A work-order app's export (English headers, its own category names such as PLUMBING) with
    known hours to close per department: after import the dashboard's median per department
    equals statistics.median of the file."""
    rnd = random.Random(11)
    depts = {"Engineering": "ENG", "Security": "SEC", "Cleaning": "CLN"}
    cats = {"PLUMBING": "ENG-WATER", "LIGHTS": "ENG-LIGHT", "NOISE": "SVC-SEC", "DIRTY": "SVC-CLN"}
    path = tmp_path / "helpdesk_export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Ticket ID", "Site", "Type", "Dept", "Caller", "Details", "Opened At", "Closed At"])
        for i in range(60):
            opened = datetime(2023, 2, 1, 8) + timedelta(hours=rnd.randint(0, 24 * 200))
            w.writerow([f"WO-{i:04d}", "P001" if i % 3 else "P002", rnd.choice(list(cats)),
                        rnd.choice(list(depts)), f"Caller {i}", "leak" if i % 2 else "noise",
                        opened.strftime("%Y-%m-%d %H:%M"),
                        (opened + timedelta(minutes=rnd.randint(30, 60 * 24 * 9))).strftime("%Y-%m-%d %H:%M")])
    # the file's own figure, computed directly
    data = list(csv.DictReader(path.open(encoding="utf-8")))
    hours = {}
    for r in data:
        h = (datetime.fromisoformat(r["Closed At"]) - datetime.fromisoformat(r["Opened At"])).total_seconds() / 3600
        hours.setdefault(r["Dept"], []).append(h)
    expected = {d: statistics.median(v) for d, v in hours.items()}

    # the mechanism's part, as a saved mapping would do it: headers suggested from the aliases,
    # values mapped (PLUMBING -> 工程 / 给水管), cells parsed in the company's zone
    raw = pd.read_csv(io.StringIO(path.read_text(encoding="utf-8")), dtype=str)
    suggested = {h: _suggest(h) for h in raw.columns}
    assert suggested == {"Ticket ID": "source_ref", "Site": "project", "Type": "category", "Dept": "department",
                         "Caller": "complainant", "Details": "description", "Opened At": "received_at",
                         "Closed At": "closed_at"}
    rows = raw.rename(columns=suggested)
    rows["category"] = rows["category"].map(cats)
    rows["department"] = rows["department"].map(depts)
    for c in ("received_at", "closed_at"):
        rows[c] = pd.to_datetime(rows[c]).dt.tz_localize(SH)
    rows["source_system"] = "helpdesk"
    rows["_line"] = range(2, len(rows) + 2)

    admin = actor(db, "admin")
    report = apply(db, admin, LEDGER, rows, batch_id=100)
    assert report.count("add") == 60 and not report.rejected
    hq = actor(db, "hq")
    year_2023 = kpis.Period(datetime(2023, 1, 1).date(), datetime(2023, 12, 31).date())  # before the demo's data
    got = dash_reads.close_hours_by_department(db, hq, year_2023)
    names = {"Engineering": "工程部", "Security": "秩序维护部", "Cleaning": "保洁部"}
    shown = {r["department"]: r["close_p50"] for r in got}
    for dept, median in expected.items():
        assert shown[names[dept]] == pytest.approx(median, abs=1e-6)
    assert sum(r["closed"] for r in got) == 60
    # the KPIs count them in their own period (received in 2023), not today's
    assert kpis.measure(db, hq, year_2023)["received"].value == 60
    resolved_hours = sorted(h for v in hours.values() for h in v)
    assert kpis.measure(db, hq, year_2023)["first_answer_p50"].value == pytest.approx(
        statistics.median(resolved_hours), abs=1e-6)  # closing is the first answer when nothing else is recorded


def test_revisit_records_land_as_history_and_reopen_nothing(db):
    sup = actor(db, "supervisor1")
    apply(db, sup, LEDGER, frame(ledger_rows()), batch_id=50)
    got = {r["source_ref"]: r["id"] for r in db.rows("complaints/import_existing", {"systems": ["旧台账"]})}
    live = _file(db)
    rows = frame([
        {"complaint_ref": "2025-002", "revisited_at": at(2025, 4, 3, 10), "method": "电话", "satisfaction": "不满意",
         "remarks": "还是不清楚", "staff": "客服小李"},
        {"complaint_ref": live["code"], "revisited_at": datetime.now(UTC) - timedelta(minutes=1), "method": "visit",
         "satisfaction": "satisfied", "result": "reached"},
        {"complaint_ref": "NOPE-1", "revisited_at": at(2025, 4, 3)},
    ])
    report = apply(db, sup, REVISITS, rows, batch_id=51)
    assert [o.action for o in report.outcomes] == ["add", "add", "reject"]
    assert report.rejected[0].reason.message() == "找不到投诉“NOPE-1”"
    c2 = complaint_reads.complaint(db, sup, got["2025-002"])
    assert c2["status"] == "resolved" and c2["reopen_count"] == 0  # an unsatisfied imported revisit reopens nothing
    tasks = _tasks(db, got["2025-002"])
    assert [(t["status"], t["satisfaction"]) for t in tasks] == [("done", "unsatisfied")]
    assert complaint_reads.complaint(db, sup, live["id"])["status"] == "received"  # a live one is not changed either
    assert [o.action for o in plan(db, sup, REVISITS, rows).outcomes] == ["same", "same", "reject"]
    assert db.transaction(lambda tx: REVISITS.undo(tx, sup, 51)) == 2
    assert _tasks(db, got["2025-002"]) == []


def test_service_records_import_with_the_existing_rules(db):
    clerk = actor(db, "clerk1")
    rows = frame([
        {"project_code": "P001", "unit": "1-0101", "resident_name": "张伟", "resident_phone": "13800138000",
         "service_type": "维修", "department": "工程部", "completed_at": datetime.now(UTC) - timedelta(hours=2),
         "completed_by": "李师傅", "description": "厨房水龙头漏水", "external_ref": "WX-1"},
        {"project_code": "P003", "service_type": "repair", "completed_at": datetime.now(UTC) - timedelta(hours=2),
         "description": "外项目", "external_ref": "WX-2"},
    ])
    report = apply(db, clerk, SERVICES, rows, batch_id=60)
    assert [o.action for o in report.outcomes] == ["add", "reject"]
    assert [o.action for o in plan(db, clerk, SERVICES, rows).outcomes] == ["same", "reject"]
    assert db.value("revisits/service_record_ref_exists", {"project_id": project_id(db, "P001"),
                                                           "external_ref": "WX-1"})
    assert db.transaction(lambda tx: SERVICES.undo(tx, clerk, 60)) == 1
    assert not db.value("revisits/service_record_ref_exists", {"project_id": project_id(db, "P001"),
                                                               "external_ref": "WX-1"})


# ---- helpers --------------------------------------------------------------------------------------
def _suggest(header: str) -> str | None:
    h = header.strip().lower()
    return next((f.key for f in LEDGER.fields if h in (a.lower() for a in f.aliases)), None)


def _records(df) -> list[dict]:
    return df.to_dict("records") if hasattr(df, "to_dict") else list(df)


def _sql(db, sql: str) -> list[tuple]:
    return db.transaction(lambda tx: tx.cur.execute(sql).fetchall())


def _counters(db) -> list[dict]:
    return [{"year": y, "last_no": n} for y, n in _sql(db, "SELECT year, last_no FROM complaint_counters")]


def _tasks(db, complaint_id: int) -> list[dict]:
    return [{"status": st, "satisfaction": sa} for st, sa in _sql(
        db, f"SELECT status, satisfaction FROM revisit_tasks WHERE complaint_id = {int(complaint_id)} ORDER BY id")]


def _count(db, table: str) -> int:
    return _sql(db, f"SELECT count(*) FROM {table}")[0][0]


def _file(db, **kw) -> dict:
    from tests.test_complaints import filed

    return filed(db, **kw)


def test_many_due_times_at_once_follow_the_one_rule():
    """sla.add_limit_many (the import's due times) gives add_limit's due time for every start:
    working days across weekends, national holidays, an entered holiday, evenings, and calendar
    time when the branch has no working calendar."""
    from csm import sla

    rnd = random.Random(3)
    starts = [datetime(2023, 1, 1, tzinfo=SH) + timedelta(minutes=rnd.randint(0, 60 * 24 * 1100)) for _ in range(800)]
    starts += [at(2024, 10, 1), at(2024, 10, 8, 18), at(2024, 9, 30, 17, 59), at(2024, 3, 5, 12)]
    cal = sla.WorkCalendar(tz="Asia/Shanghai", holidays=frozenset({datetime(2024, 3, 5).date()}))
    for calendar in (cal, None):
        for minutes in (10, 5 * 60, 24 * 60, 48 * 60, 168 * 60):
            many = sla.add_limit_many(pd.Series(starts), minutes, calendar)
            assert [m.to_pydatetime() for m in many] == [sla.add_limit(s, minutes, calendar) for s in starts]
