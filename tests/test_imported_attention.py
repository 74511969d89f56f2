"""Imported history and "needs attention" (issue 11, docs/domain.md "Imported history"): a ledger
with old open and closed complaints, long past every limit, leaves the dashboard's attention
list, the overdue counts (KPI, league, desk header, the desk's overdue filter), the digest, the
inbox and the escalation run as they were; the imported open complaints stay on the desk marked
imported, and one the ledger left resolved can still be closed there."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from csm import complaints
from csm.complaints import commands as complaint_commands
from csm.complaints import reads as complaint_reads
from csm.complaints.reads import Filters
from csm.dashboards import digest, kpis
from csm.dashboards import reads as dash_reads
from csm.import_targets import TARGETS
from tests.conftest import actor

SH = ZoneInfo("Asia/Shanghai")
LEDGER = TARGETS["complaints"]
WHO = ("supervisor1", "manager_p1", "manager_b1", "hq")


def ledger() -> pd.DataFrame:
    """Six old complaints: four still open in the ledger (received … in progress), one resolved,
    one closed; all received in 2025, so every limit of the open ones passed long ago."""
    rows = []
    for i, status in enumerate(["received", "judged", "dispatched", "in_progress", "resolved", "closed"]):
        r = {"source_system": "旧台账", "source_ref": f"HIST-{i}", "project": "P001", "complainant": "历史住户",
             "category": "PUB-GEN", "description": f"公共区域问题 {i}", "received_at": datetime(2025, 6, 1 + i, 9, tzinfo=SH),
             "status": status}
        if status in ("resolved", "closed"):
            r["resolved_at"] = datetime(2025, 6, 10, 9, tzinfo=SH)
        if status == "closed":
            r["closed_at"] = datetime(2025, 6, 12, 9, tzinfo=SH)
        rows.append(r)
    out = pd.DataFrame(rows)
    out["_line"] = range(2, len(rows) + 2)
    return out


def what_counts(db) -> dict:
    """Every read that counts open or overdue complaints, per role, as a user sees it."""
    out = {}
    for name in WHO:
        a = actor(db, name)
        today = a.today()
        att = {(r["kind"], r["ref_id"]) for r in dash_reads.attention(db, a, limit=500)}
        figures, _ = digest.figures_for(db, a, today)
        counts = complaint_reads.status_counts(db, a)
        out[name] = {"attention": att, "digest": figures,
                     "overdue_kpi": kpis.measure(db, a, kpis.Period(today, today))["overdue_open"].value,
                     "desk_overdue": {s: late for s, (_, late) in counts.items()},
                     "overdue_filter": set(complaint_reads.worklist(db, a, Filters(overdue_only=True), per_page=500)[0]["id"]),
                     "inbox": complaint_reads.inbox_count(db, a)}
    return out


def apply(db, who, rows, batch_id):
    def work(tx):
        outcomes = LEDGER.plan(tx, who, rows)
        LEDGER.apply(tx, who, rows, outcomes, batch_id)
        return outcomes
    return db.transaction(work)


def test_imported_open_complaints_need_nobodys_attention(db):
    complaints.escalate_all(db)  # the live complaints escalated first: only the import differs below
    before = what_counts(db)
    sup = actor(db, "supervisor1")
    outcomes = apply(db, sup, ledger(), batch_id=77)
    assert [o.action for o in outcomes] == ["add"] * 6
    ids = {r["id"]: r for r in db.rows("complaints/import_existing", {"systems": ["旧台账"]})}
    assert len(ids) == 6
    complaints.escalate_all(db)  # the scheduler's escalation run
    after = what_counts(db)
    for name in WHO:
        for k in before[name]:
            assert after[name][k] == before[name][k], (name, k)
    assert after == before  # attention, digest, overdue KPI, desk counts and filter, inbox: untouched
    for cid in ids:
        c = complaint_reads.complaint(db, sup, cid)
        assert c["escalation_level"] == "project" and not c["overdue"]
    # still on the desk, marked imported, so that staff can finish them
    desk, _ = complaint_reads.worklist(db, sup, Filters(), per_page=500)
    mine = desk[desk["id"].isin(list(ids))]
    assert len(mine) == 6 and mine["imported"].all() and not mine["overdue"].any()
    assert not desk[~desk["id"].isin(list(ids))]["imported"].any()


def test_an_imported_resolved_complaint_can_be_closed_on_the_desk(db):
    sup = actor(db, "supervisor1")
    apply(db, sup, ledger(), batch_id=78)
    row = next(r for r in db.rows("complaints/import_existing", {"systems": ["旧台账"]}) if r["source_ref"] == "HIST-4")
    c = complaint_reads.complaint(db, sup, row["id"])
    assert c["status"] == "resolved"
    complaint_commands.close(db, sup, row["id"], c["version"], confirmed_by="历史住户", satisfied=True)
    assert complaint_reads.complaint(db, sup, row["id"])["status"] == "closed"


def test_the_desk_marks_imported_complaints(db_path, db):
    from tests.apptest_helpers import open_page

    apply(db, actor(db, "supervisor1"), ledger(), batch_id=79)
    at = open_page("supervisor1", "complaints")
    at.text_input(key="complaints.f_text").set_value("公共区域问题").run()
    assert not at.exception
    shown = next(d for d in at.dataframe if "状态" in d.value.columns).value
    assert len(shown) == 6
    assert all(s.endswith(" · 导入") for s in shown["状态"])
