"""The same product on both engines (issue 14, docs/storage.md "Slice 2"): one story of product
commands — a complaint filed, judged, dispatched, handled, resolved, revisited unsatisfied
(reopened), resolved again, revisited satisfied and closed; an invalid one closed with an
explanation; an old one escalated; a survey wave planned, approved, its forms entered on the
grid and imported from a workbook, and analysed; a channel added by the administrator; a
complaint ledger imported from a real .xlsx and undone — run on a DuckDB file and on a fresh
PostgreSQL database, each made by open_database and the same seed (admin commands and
csm.org.users). After every step the reads a user looks at (the desk's worklist and counts,
the complaint's detail and timeline, the revisit queue, the survey figures to one decimal, the
import log) give the same answers on both, generated ids and timestamps aside. Also: every
scalar macro of the DuckDB file equals its PostgreSQL function (migration pg/025) on the same
values, a SELECT over one inside a write sees the write's own rows, and a bulk load (Tx.load)
lands the same typed rows on both engines."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from openpyxl import Workbook

from csm import admin, import_targets, surveys
from csm.actor import Actor
from csm.admin import commands as admin_commands
from csm.complaints import Intake
from csm.complaints import commands as complaint_commands
from csm.complaints import reads as complaint_reads
from csm.db import Database, open_database
from csm.importing import commands as import_commands
from csm.importing import reads as import_reads
from csm.org import users
from csm.revisits import Attempt
from csm.revisits import commands as revisit_commands
from csm.revisits import reads as revisit_reads
from csm.surveys import commands as survey_commands
from csm.surveys import reads as survey_reads
from csm.surveys import rules as survey_rules

pytestmark = pytest.mark.slow

SH = ZoneInfo("Asia/Shanghai")
ENGINES = ("duckdb", "postgres")
WHO = ("clerk1", "supervisor1", "manager_p1", "hq")
DESK = ("clerk1", "supervisor1", "hq")  # the desk's three scopes (the manager's is the supervisor's)
LEDGER = import_targets.get("complaints")
SURVEY_FORMS = import_targets.get("survey_forms")
HOUSEHOLDS = import_targets.get("households")
REVISITS = import_targets.get("revisits")


# ---- the two stores, the same seed -----------------------------------------------------------
def who(db: Database, name: str) -> Actor:
    return Actor.of(users.get(db, name), tz=db.timezone)


def _with_row(frame: pd.DataFrame, **values) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([values])], ignore_index=True)


def seed(db: Database) -> dict:
    """An administrator; a branch and a project through the admin grids' commands; a clerk, a
    supervisor and a manager of the project and head office (csm.org.users)."""
    hashed = users.hash_password("Seed-pass-2026", rounds=4)  # one cheap hash for all (no login here)
    users.create(db, "cli", "admin", "系统管理员", "Sys-pass-2026", "admin", "group", password_hash=hashed)
    a = who(db, "admin")
    base = admin.load_grid(db, admin.BRANCHES)
    admin_commands.save_branches(db, a, base, _with_row(base, code="B01", name="华东分公司"))
    branch = db.one("org/branch_by_code", {"code": "B01"})["id"]
    base = admin.load_grid(db, admin.PROJECTS)
    admin_commands.save_projects(db, a, base, _with_row(base, code="P001", name="阳光花园", households=120,
                                                        branch_id=branch, address="上海市浦东新区"))
    project = db.one("org/project_by_code", {"code": "P001"})["id"]
    users.create(db, "cli", "clerk1", "前台小王", "Front-pass-2026", "clerk", "project", project, password_hash=hashed)
    users.create(db, "cli", "supervisor1", "主管老李", "Desk-pass-2026", "supervisor", "project", project, password_hash=hashed)
    users.create(db, "cli", "manager_p1", "项目经理张", "Boss-pass-2026", "manager", "project", project, password_hash=hashed)
    users.create(db, "cli", "hq", "总部品质部", "Head-pass-2026", "head_office", "group", password_hash=hashed)
    return {"branch": branch, "project": project}


def _open(kind: str, where: Path, pg_server: str) -> Database:
    """A seeded store of one engine: a DuckDB file, or a new PostgreSQL database (dropped by
    _close), both made by open_database and seed()."""
    from tests.pg_helpers import new_database

    db = open_database(str(where / "parity.duckdb") if kind == "duckdb" else new_database(pg_server))
    assert (db.engine is None) == (kind == "duckdb")
    seed(db)
    return db


def _close(db: Database, pg_server: str) -> None:
    from tests.pg_helpers import drop_database

    db.close()
    if db.engine is not None:
        drop_database(db.path, pg_server)


@pytest.fixture(scope="module")
def stores(pg_server, tmp_path_factory):
    """Both engines' seeded stores, side by side, once for this module: {"duckdb": db,
    "postgres": db}. The story changes both alike; the other tests roll back what they write."""
    opened = {kind: _open(kind, tmp_path_factory.mktemp(kind), pg_server) for kind in ENGINES}
    yield opened
    for db in opened.values():
        _close(db, pg_server)


@pytest.fixture(params=ENGINES)
def store(request, stores):
    """One engine's seeded store: the DuckDB file, then the PostgreSQL database."""
    return stores[request.param]


# ---- what the reads give, ids and timestamps aside ------------------------------------------
CLOCK_MINUTES = ("paused_minutes",)  # minutes between two steps on each engine's own clock: whole minutes
ID_DERIVED = ("source_hash",)  # an imported row's hash covers its ids (the category's id differs: migration 002)


def plain(key: str, v):
    if key == "id" or key.endswith("_id") or key in ID_DERIVED:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else "<id>"
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, (datetime, pd.Timestamp)):
        return "<time>"
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        v = v.item()
    if isinstance(v, Decimal):
        v = float(v)
    if isinstance(v, float) and key in CLOCK_MINUTES:  # the wall-clock time the story's steps took
        return None if math.isnan(v) else round(v)
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 6)
    if isinstance(v, (list, tuple)):
        return [plain(key, x) for x in v]
    return v


def record(row: dict | None) -> dict | None:
    return None if row is None else {k: plain(k, v) for k, v in row.items()}


def records(frame: pd.DataFrame) -> list[dict]:
    return [record(r) for r in frame.to_dict("records")]


def rate(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v) * 100, 1)


def desk(db: Database) -> dict:
    """The desk of each role: worklist (code, status, overdue, phone …), status counts, inbox."""
    out = {}
    for name in DESK:
        a = who(db, name)
        rows, more = complaint_reads.worklist(db, a, per_page=200)
        out[name] = {"worklist": records(rows), "more": more, "counts": complaint_reads.status_counts(db, a),
                     "inbox": complaint_reads.inbox_count(db, a)}
    return out


def detail(db: Database, complaint_id: int) -> dict:
    sup = who(db, "supervisor1")
    tl = complaint_reads.timeline(db, sup, complaint_id)
    cols = [c for c in ("kind", "action", "field", "from_value", "to_value", "content") if c in tl.columns]
    return {"complaint": record(complaint_reads.complaint(db, sup, complaint_id)),
            "clerk_sees": record(complaint_reads.complaint(db, who(db, "clerk1"), complaint_id)),
            "timeline": records(tl[cols])}


def revisit_lists(db: Database) -> dict:
    out = {}
    for name in ("clerk1", "supervisor1"):
        a = who(db, name)
        out[name] = {"tasks": records(revisit_reads.tasks(db, a)), "counts": record(revisit_reads.queue_counts(db, a))}
    return out


def survey_figures(db: Database, wave_id: int) -> dict:
    out = {}
    for name in ("manager_p1", "hq"):
        a = who(db, name)
        summary = survey_reads.summary(db, a, wave_id)
        levels = {}
        for level in ("wave", "branch", "project", "dimension", "item"):
            frame = survey_reads.satisfaction(db, a, wave_id, level)
            levels[level] = [(r["key"] if "key" in frame.columns else None, rate(r["satisfaction_rate"]))
                             for r in frame.to_dict("records")]
        out[name] = {"satisfaction": rate(summary["satisfaction_rate"]), "return_rate": rate(summary["return_rate"]),
                     "returned": summary["returned"], "levels": levels}
    return out


def differences(duck, pg, path: str = "") -> list[str]:
    """Where two read results differ: `path: DuckDB value != PostgreSQL value`."""
    if isinstance(duck, dict) and isinstance(pg, dict):
        return [d for k in dict.fromkeys([*duck, *pg])
                for d in differences(duck.get(k, "<missing>"), pg.get(k, "<missing>"), f"{path}.{k}")]
    if isinstance(duck, list) and isinstance(pg, list) and len(duck) == len(pg):
        return [d for i, (a, b) in enumerate(zip(duck, pg, strict=True)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if duck == pg else [f"{path}: {duck!r} != {pg!r}"]


def same(seen: dict, step: str) -> None:
    """The step's reads equal on both engines (assert with the step's name and what differs)."""
    duck, pg = seen["duckdb"], seen["postgres"]
    assert pg == duck, f"{step}: PostgreSQL reads differ from the DuckDB file's: " + "; ".join(
        differences(duck, pg)[:8])


# ---- the story --------------------------------------------------------------------------------
def intake(db: Database, project: int, text: str, **kw) -> Intake:
    base = dict(project_id=project, complainant_name="王建国", complainant_phone="13912345678",
                channel_id=db.one("complaints/channel_by_code", {"code": kw.pop("channel", "PHONE")})["id"],
                category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"], description=text,
                received_at=kw.pop("received_at", datetime.now(UTC) - timedelta(minutes=30)), unit_text="9-0901")
    base.update(kw)
    return Intake(**base)


def ledger_xlsx(path: Path, corrected: bool = False) -> Path:
    """An old 投诉登记表: one closed, one resolved, one still open complaint of 2025 (`corrected`:
    the resolved one closed after all, a line the old system fixed)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "投诉登记表"
    ws.append(["投诉编号", "项目", "投诉人", "联系电话", "投诉类别", "投诉内容", "受理时间", "处理完成时间", "关闭时间",
               "状态"])
    ws.append(["OLD-001", "P001", "李先生", "13800000001", "ENG-WATER", "卫生间漏水", "2025-03-01 09:00",
               "2025-03-02 10:00", "2025-03-03 11:00", "closed"])
    ws.append(["OLD-002", "P001", "周女士", "13800000002", "ENG-LIGHT", "楼道灯不亮", "2025-03-05 20:15",
               "2025-03-06 08:30", "2025-03-07 09:00" if corrected else None, "closed" if corrected else "resolved"])
    ws.append(["OLD-003", "P001", "吴先生", None, "ENG-WATER", "水压不足", "2025-03-09 07:45", None, None,
               "in_progress"])
    wb.save(path)
    return path


def revisits_xlsx(path: Path, live_code: str) -> Path:
    """A 回访记录表: a revisit of the ledger's resolved complaint, one of a live complaint."""
    wb = Workbook()
    ws = wb.active
    ws.append(["投诉编号", "回访时间", "回访方式", "满意度", "回访意见", "回访人"])
    ws.append(["OLD-002", "2025-03-08 10:00", "phone", "unsatisfied", "还是不清楚", "客服小李"])
    ws.append([live_code, (datetime.now(SH) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"), "visit",
               "satisfied", None, "客服小李"])
    wb.save(path)
    return path


def households_xlsx(path: Path) -> Path:
    """A household list: two buildings, three units with their owners."""
    wb = Workbook()
    ws = wb.active
    ws.title = "住户清单"
    ws.append(["项目", "楼栋", "房号", "业主姓名", "手机号码", "入住日期", "建筑面积（㎡）"])
    ws.append(["P001", "9号楼", "9-0101", "赵一", "13900000001", "2024-03-05", 89.5])
    ws.append(["P001", "9号楼", "9-0102", "钱二", "139 0000 0002", "2024/3/6", 110])
    ws.append(["P001", "8栋", "0301", "孙三", "13900000003", "2024年3月7日", 128])
    wb.save(path)
    return path


def survey_xlsx(path: Path, wave: dict, n: int) -> Path:
    """The forms of n households in the wave's template headers (csm/surveys/import_target.py)."""
    from csm.surveys.import_target import ITEMS

    words = ["很满意", "满意", "较满意", "不满意", None]
    wb = Workbook()
    ws = wb.active
    ws.append(["调查活动", "项目编号", "问卷编号", "房号", "回收日期"] + [f"{i:02d} {zh}" for _, i, zh, _ in ITEMS])
    for f in range(n):
        ws.append([wave["code"], "P001", f"F{f + 1:04d}", f"2-{f + 1:04d}", "2026-10-20"]
                  + [words[(f + k) % len(words)] for k in range(len(ITEMS))])
    wb.save(path)
    return path


def story(db: Database, tmp: Path, project: int):
    """The product's commands, in order; after each, (step, what the reads give)."""
    clerk, sup, mgr, hq = (who(db, n) for n in WHO)
    admin_actor = who(db, "admin")
    tmp.mkdir(parents=True, exist_ok=True)

    # a complaint filed at the front desk, then the supervisor's whole journey with it
    filed = complaint_commands.file_complaint(db, clerk, intake(db, project, "3号楼2单元地下室水管漏水，已经三天没人处理！"))
    cid = filed["id"]
    yield "filed", {"code": filed["code"], "desk": desk(db), "detail": detail(db, cid)}
    version = complaint_reads.complaint(db, sup, cid)["version"]
    c = complaint_commands.judge(db, sup, cid, version, "valid", "漏水属物业维修责任", "general", "normal")
    yield "judged", {"desk": desk(db), "detail": detail(db, cid)}
    dept = complaint_reads.complaint(db, sup, cid)["department_id"]
    c = complaint_commands.dispatch(db, sup, cid, c["version"], dept, sup.user_id)
    c = complaint_commands.add_handling(db, sup, cid, c["version"], "工程部 李师傅", "更换水管接头")
    c = complaint_commands.add_progress(db, sup, cid, c["version"], "phone", "已告知业主维修进度")
    c = complaint_commands.suspend(db, sup, cid, c["version"], "等待业主在家")
    c = complaint_commands.resume(db, sup, cid, c["version"])
    yield "dispatched and handled", {"desk": desk(db), "detail": detail(db, cid)}
    c = complaint_commands.resolve(db, sup, cid, c["version"], "已更换接头，试水无渗漏")
    yield "resolved", {"desk": desk(db), "detail": detail(db, cid), "revisits": revisit_lists(db)}

    # the revisit: unsatisfied reopens the complaint; resolved again, satisfied; then closed
    task = revisit_reads.task(db, clerk, db.value("revisits/open_for_complaint", {"complaint_id": cid}))
    out = revisit_commands.record_revisit(db, clerk, task["id"], task["version"], Attempt(
        method="phone", reached=True, person_reached="王建国", satisfaction="unsatisfied", comments="还在漏水"))
    assert out["reopened_complaint_id"] == cid
    yield "revisit unsatisfied: reopened", {"desk": desk(db), "detail": detail(db, cid),
                                            "revisits": revisit_lists(db)}
    c = complaint_reads.complaint(db, sup, cid)
    c = complaint_commands.resolve(db, sup, cid, c["version"], "再次维修，更换整段水管")
    task = revisit_reads.task(db, clerk, db.value("revisits/open_for_complaint", {"complaint_id": cid}))
    revisit_commands.record_revisit(db, clerk, task["id"], task["version"], Attempt(
        method="phone", reached=True, person_reached="王建国", satisfaction="satisfied"))
    c = complaint_reads.complaint(db, sup, cid)
    complaint_commands.close(db, sup, cid, c["version"], confirmed_by="王建国", satisfied=True)
    yield "revisited and closed", {"desk": desk(db), "detail": detail(db, cid), "revisits": revisit_lists(db)}

    # an invalid complaint closed with an explanation; an old one escalated by the scheduler's run
    other = complaint_commands.file_complaint(db, clerk, intake(db, project, "要求免除物业费", complainant_phone=""))
    c2 = complaint_commands.judge(db, sup, other["id"], 1, "invalid", "超出物业服务范围", "general", "normal")
    complaint_commands.close(db, sup, other["id"], c2["version"], explanation="已向业主解释收费依据")
    old = complaint_commands.file_complaint(db, clerk, intake(
        db, project, "电梯异响", received_at=datetime.now(UTC) - timedelta(days=10)))
    escalated = complaint_commands.escalate_overdue(db, sup)
    yield "invalid closed, old escalated", {"escalated": escalated, "desk": desk(db),
                                            "invalid": detail(db, other["id"]), "old": detail(db, old["id"])}

    # a survey wave: planned, approved, forms typed on the entry grid, then a workbook imported
    wave_id = survey_commands.create_wave(db, sup, surveys.WavePlan(
        name="2026年下半年客户满意度调查", purpose="了解业主对各项服务的满意程度", questionnaire_id=1,
        starts_on=date(2026, 10, 1), ends_on=date(2099, 12, 31), forms_issued={project: 120},
        target="全体业主", staff="客服中心全体"))
    survey_commands.approve_wave(db, mgr, wave_id, 1)
    keys = [i["item_key"] for i in survey_rules.items_of(db, 1)]
    seed_002 = [4] * 8 + [3] * 6 + [2] * 2 + [1] * 4 + [None]  # → 16 / 20 = 80.0 %
    forms = [surveys.FormInput(project_id=project, ratings={keys[0]: r, keys[1]: 3 if r else None},
                               unit_text=f"T-{n:03d}", row=n + 1, comments="无意见" if r is None else None)
             for n, r in enumerate(seed_002)]
    survey_commands.enter_forms(db, clerk, wave_id, forms, confirm_incomplete=True)
    yield "survey forms entered", {"figures": survey_figures(db, wave_id), "revisits": revisit_lists(db)}
    wave = db.one("surveys/wave", {"id": wave_id})
    path = survey_xlsx(tmp / "问卷录入.xlsx", wave, 12)
    found = import_reads.inspect(db, sup, SURVEY_FORMS, path.read_bytes(), path.name)
    done = import_commands.apply(db, sup, SURVEY_FORMS, found.sheet, found.mapping)
    assert done.applied and done.count("add") == 12
    yield "survey workbook imported", {"figures": survey_figures(db, wave_id), "revisits": revisit_lists(db),
                                       "log": records(import_reads.log(db, admin_actor)[["target", "file_name", "added"]])}
    assert import_commands.undo(db, admin_actor, SURVEY_FORMS, done.batch_id) == 12
    yield "survey import undone", {"figures": survey_figures(db, wave_id), "revisits": revisit_lists(db)}

    # the administrator adds a channel; a complaint comes in through it
    base = admin.load_grid(db, admin.CHANNELS)
    admin_commands.save_channels(db, admin_actor, base, _with_row(base, code="APP", name="业主App", name_en="App",
                                                                  origin="resident"))
    via_app = complaint_commands.file_complaint(db, clerk, intake(db, project, "App 报修：门禁失灵", channel="APP"))
    yield "channel added", {"channels": records(pd.DataFrame(db.rows("admin/channels"))), "desk": desk(db),
                            "detail": detail(db, via_app["id"])}

    # a household list imported (its buildings, units and owners), then undone
    path = households_xlsx(tmp / "住户清单.xlsx")
    found = import_reads.inspect(db, admin_actor, HOUSEHOLDS, path.read_bytes(), path.name)
    done = import_commands.apply(db, admin_actor, HOUSEHOLDS, found.sheet, found.mapping)
    assert done.applied and done.count("add") == 3
    yield "households imported", {"buildings": records(pd.DataFrame(db.rows("admin/buildings", {"project_id": project}))),
                                   "units": records(pd.DataFrame(db.rows("admin/units", {"project_id": project}))),
                                   "log": records(import_reads.log(db, admin_actor)[["target", "file_name", "added"]])}
    removed = import_commands.undo(db, admin_actor, HOUSEHOLDS, done.batch_id)
    yield "households undone", {"removed": removed, "units": len(db.rows("admin/units", {"project_id": project}))}

    # a complaint ledger imported from a real workbook, then undone
    path = ledger_xlsx(tmp / "投诉登记表.xlsx")
    found = import_reads.inspect(db, admin_actor, LEDGER, path.read_bytes(), path.name)
    done = import_commands.apply(db, admin_actor, LEDGER, found.sheet, found.mapping, "旧台账")
    assert done.applied and done.count("add") == 3
    imported = db.rows("complaints/import_existing", {"systems": ["ledger"]})
    yield "ledger imported", {"desk": desk(db), "log": records(import_reads.log(db, admin_actor)[
        ["target", "file_name", "added", "updated"]]), "imported": sorted(r["source_ref"] for r in imported)}
    old_two = next(r["id"] for r in imported if r["source_ref"] == "OLD-002")
    path = revisits_xlsx(tmp / "回访记录表.xlsx", via_app["code"])
    found = import_reads.inspect(db, admin_actor, REVISITS, path.read_bytes(), path.name)
    visits = import_commands.apply(db, admin_actor, REVISITS, found.sheet, found.mapping)
    assert visits.applied and visits.count("add") == 2
    yield "revisits imported", {"desk": desk(db), "revisits": revisit_lists(db), "old": detail(db, old_two),
                                "live": detail(db, via_app["id"])}
    assert import_commands.undo(db, admin_actor, REVISITS, visits.batch_id) == 2
    yield "revisits undone", {"old": detail(db, old_two), "live": detail(db, via_app["id"])}

    path = ledger_xlsx(tmp / "投诉登记表（更正）.xlsx", corrected=True)
    found = import_reads.inspect(db, admin_actor, LEDGER, path.read_bytes(), path.name)
    fixed = import_commands.apply(db, admin_actor, LEDGER, found.sheet, found.mapping, "旧台账")
    assert fixed.applied and (fixed.count("update"), fixed.count("same")) == (1, 2)
    yield "ledger corrected", {"desk": desk(db), "detail": detail(db, old_two)}
    import_commands.undo(db, admin_actor, LEDGER, fixed.batch_id)
    yield "correction undone", {"desk": desk(db), "detail": detail(db, old_two)}
    removed = import_commands.undo(db, admin_actor, LEDGER, done.batch_id)
    yield "ledger undone", {"removed": removed, "desk": desk(db),
                            "left": len(db.rows("complaints/import_existing", {"systems": ["ledger"]}))}


def test_the_same_story_reads_the_same_on_both_engines(stores, tmp_path):
    runs = {kind: story(db, tmp_path / kind, db.one("org/project_by_code", {"code": "P001"})["id"])
            for kind, db in stores.items()}
    steps = 0
    for (step, duck), (step_pg, pg) in zip(runs["duckdb"], runs["postgres"], strict=True):
        assert step == step_pg
        same({"duckdb": duck, "postgres": pg}, step)
        steps += 1
        if step == "filed":  # what the story is about, stated once (equal on both by the line above)
            assert duck["code"].endswith("-000001")
            assert [r["status"] for r in duck["desk"]["supervisor1"]["worklist"]] == ["received"]
        if step == "revisit unsatisfied: reopened":
            assert duck["detail"]["complaint"]["status"] == "in_progress"
            assert duck["detail"]["complaint"]["reopen_count"] == 1
        if step == "revisited and closed":
            statuses = [r["to_value"] for r in duck["detail"]["timeline"]
                        if r["kind"] == "history" and r["field"] == "status"]
            assert statuses[-1] == "closed" and "in_progress" in statuses
        if step == "invalid closed, old escalated":
            assert duck["escalated"] >= 1
        if step == "survey forms entered":
            assert duck["figures"]["hq"]["levels"]["item"][0] == (keys_first(stores["duckdb"]), 80.0)
        if step == "households imported":
            assert sorted(u["code"] for u in duck["units"]) == ["0301", "9-0101", "9-0102"]
        if step == "households undone":
            assert duck["removed"] == 6 and duck["units"] == 0
        if step == "ledger imported":
            assert duck["imported"] == ["OLD-001", "OLD-002", "OLD-003"]
        if step == "revisits imported":
            assert duck["old"]["complaint"]["status"] == "resolved"  # an imported revisit reopens nothing
            assert "revisit" in {r["kind"] for r in duck["old"]["timeline"]}
        if step == "ledger corrected":
            assert duck["detail"]["complaint"]["status"] == "closed"
        if step == "correction undone":
            assert duck["detail"]["complaint"]["status"] == "resolved"
        if step == "ledger undone":
            assert duck["removed"] >= 3 and duck["left"] == 0
    assert steps == 19


def keys_first(db: Database) -> str:
    return survey_rules.items_of(db, 1)[0]["item_key"]


# ---- the macros' PostgreSQL twins, and what a write sees ------------------------------------
MACRO_CASES = [
    ("in_scope('group', NULL, 1, 2)", ()), ("in_scope('branch', 2, 1, 2)", ()),
    ("in_scope('branch', 3, 1, 2)", ()), ("in_scope('project', 1, 1, 2)", ()),
    ("in_scope('project', 5, 1, 2)", ()),
    ("mask_phone('13912345678')", ()), ("mask_phone('12345')", ()), ("mask_phone(NULL)", ()),
    ("overdue(NULL, NULL, TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("overdue(TIMESTAMPTZ '2026-01-01 00:00:00+08', NULL, TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("overdue(TIMESTAMPTZ '2026-01-03 00:00:00+08', TIMESTAMPTZ '2026-01-02 00:00:00+08', TIMESTAMPTZ '2026-01-04 00:00:00+08')", ()),
    ("complaint_overdue('received', TIMESTAMPTZ '2026-01-01 00:00:00+08', NULL, TIMESTAMPTZ '2026-01-09 00:00:00+08', "
     "NULL, NULL, TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("complaint_overdue('suspended', TIMESTAMPTZ '2026-01-01 00:00:00+08', NULL, NULL, NULL, NULL, "
     "TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("survey_qualified(2)", ()), ("survey_qualified(1)", ()), ("survey_unsatisfied(1)", ()),
    ("survey_satisfaction(80, 20)", ()), ("survey_satisfaction(0, 0)", ()), ("survey_satisfaction(NULL, 3)", ()),
    ("survey_return_rate(30, 120)", ()), ("survey_return_rate(3, 0)", ()),
    ("survey_action_overdue('open', DATE '2026-01-01', DATE '2026-01-02')", ()),
    ("survey_action_overdue('done', DATE '2026-01-01', DATE '2026-01-02')", ()),
    ("revisit_on_time(TIMESTAMPTZ '2026-01-01 00:00:00+08', TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("revisit_on_time(NULL, TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("ratio(1, 3)", ()), ("ratio(1, 0)", ()), ("ratio(7, NULL)", ()),
    ("survey_counts_qualified(4, NULL, 2)", ()), ("survey_counts_rate(40, 30, 10, 20)", ()),
    ("survey_counts_rate(0, 0, 0, 0)", ()),
    *[(f"{m}('{s}')", ()) for m in ("complaint_open", "complaint_done", "complaint_awaiting_revisit",
                                    "complaint_escalatable", "complaint_assigned_work")
      for s in ("received", "judged", "dispatched", "in_progress", "suspended", "resolved", "revisited", "closed")],
    ("complaint_late_first_response('received', FALSE, NULL, TIMESTAMPTZ '2026-01-01 00:00:00+08', "
     "TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("complaint_late_resolve('suspended', FALSE, TIMESTAMPTZ '2026-01-01 00:00:00+08', TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
    ("complaint_late_for_escalation('judged', TRUE, NULL, TIMESTAMPTZ '2026-01-01 00:00:00+08', FALSE, "
     "TIMESTAMPTZ '2026-01-01 12:00:00+08', TIMESTAMPTZ '2026-01-02 00:00:00+08')", ()),
]


def test_every_scalar_macro_equals_its_postgresql_function(stores):
    duck, pg = stores["duckdb"], stores["postgres"]
    scalar = pg.engine.macro_names - {"complaints_filtered", "inbox_of"}
    assert scalar <= pg.engine.pg_functions  # every scalar macro has its twin
    assert pg.engine.duckdb_only_macros() == {"complaints_filtered", "inbox_of"}
    assert {m.split("(")[0] for m, _ in MACRO_CASES} == scalar  # and each is checked below
    cur = duck.cursor()
    on_duck = [cur.execute(f"SELECT {expr}").fetchone()[0] for expr, _ in MACRO_CASES]
    cur.close()
    conn = pg.engine.connect()
    try:
        with conn.cursor() as c:
            on_pg = []
            for expr, _ in MACRO_CASES:
                c.execute(f"SELECT {expr}")
                on_pg.append(c.fetchone()[0])
        conn.commit()
    finally:
        pg.engine.release(conn)
    norm = [(e, plain("v", a), plain("v", b)) for (e, _), a, b in zip(MACRO_CASES, on_duck, on_pg, strict=True)]
    assert [(e, b) for e, a, b in norm] == [(e, a) for e, a, b in norm]


def test_a_select_over_a_macro_inside_a_write_sees_the_writes_own_rows(store):
    """complaints/get (mask_phone, in_scope, complaint_overdue) read inside the transaction that
    files the complaint finds it — on PostgreSQL natively since migration 025, not through DuckDB's
    view of committed data."""
    sup = who(store, "supervisor1")
    project = store.one("org/project_by_code", {"code": "P001"})["id"]
    seen = {}

    def work(tx):
        cid = tx.value("complaints/insert", {
            "code": "TS-2026-999999", "project_id": project,
            "branch_id": store.one("org/branch_by_code", {"code": "B01"})["id"], "building_id": None,
            "building_text": None, "unit_id": None, "resident_id": None, "relation": "owner", "owner_level": "project", "unit_text": "1-0101", "complainant_name": "赵女士", "complainant_phone": "13700001111",
            "channel_id": store.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
            "received_at": datetime(2026, 11, 2, 9, tzinfo=SH), "received_by": "clerk1",
            "category_id": store.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
            "description": "漏水", "urgency": "normal", "department_id": None, "linked_to_id": None,
            "forward_due_at": datetime(2026, 11, 2, 9, 10, tzinfo=SH),
            "first_response_due_at": datetime(2026, 11, 3, 9, tzinfo=SH),
            "resolve_due_at": datetime(2026, 11, 9, 9, tzinfo=SH)})
        seen["row"] = tx.one("complaints/get", {"id": cid, "now": datetime(2026, 11, 4, 9, tzinfo=SH),
                                                **sup.params()})
        raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        store.transaction(work)
    row = seen["row"]
    assert row is not None and row["code"] == "TS-2026-999999" and row["overdue"] is True
    assert store.value("complaints/id_by_code", {"code": "TS-2026-999999", **sup.params()}) is None  # rolled back


def test_a_bulk_load_lands_the_same_typed_rows(store):
    """Tx.load (the imports' INSERT … SELECT FROM staged): integers that pandas made floats, NULL
    columns, times with their zone, on both engines."""
    project = store.one("org/project_by_code", {"code": "P001"})["id"]
    branch = store.one("org/branch_by_code", {"code": "B01"})["id"]
    due = datetime(2026, 11, 5, 17, 30, tzinfo=SH)
    frame = pd.DataFrame({
        "id": [900001, 900002], "kind": ["repair", "paid_service"], "project_id": [float(project), float(project)],
        "branch_id": [branch, branch], "unit_id": [None, None], "unit_text": ["1-0101", None],
        "contact_name": ["张伟", "李娜"], "contact_phone": ["13800138000", None], "survey_response_id": [None, None],
        "note": [None, "换阀芯"], "event_at": [due - timedelta(days=3), due - timedelta(days=2)],
        "due_at": [due, due + timedelta(days=1)]})
    seen = {}

    def work(tx):
        tx.load("revisits/tasks_load", frame)
        seen["rows"] = [tx.one("revisits/task_get", {"id": i}) for i in (900001, 900002)]
        raise RuntimeError("roll back")  # the module's stores stay as the story left them

    with pytest.raises(RuntimeError):
        store.transaction(work)
    assert [(r["kind"], r["project_id"], r["unit_id"], r["unit_text"], r["contact_phone"], r["note"], r["due_at"])
            for r in seen["rows"]] == [("repair", project, None, "1-0101", "13800138000", None, due),
                                       ("paid_service", project, None, None, None, "换阀芯", due + timedelta(days=1))]
    assert store.one("revisits/task_get", {"id": 900001}) is None


# ---- more commands, each engine alike ------------------------------------------------------
def more_commands(db: Database, project: int):
    """Commands the story leaves out: buildings and units on the admin grids, a service record's
    revisit task assigned, a closed complaint reopened, an inbox notice read, a wave's forms issued
    changed, household links made, the wave closed, an import mapping saved."""
    from csm.importing.mapping import Mapping
    from csm.revisits import ServiceRecord

    clerk, sup, mgr = who(db, "clerk1"), who(db, "supervisor1"), who(db, "manager_p1")
    admin_actor = who(db, "admin")
    params = {"project_id": project}
    base = admin.load_grid(db, admin.BUILDINGS, params)
    admin_commands.save_buildings(db, admin_actor, project, base, _with_row(base, code="A座", name="A座"))
    building = next(r["id"] for r in db.rows("admin/buildings", params) if r["code"] == "A座")
    units = admin.load_grid(db, admin.UNITS, params)
    units = _with_row(_with_row(units, code="A-101", building_id=building, floor=1, area_m2=56.5),
                      code="A-102", building_id=building, floor=1, area_m2=88.0)
    admin_commands.save_units(db, admin_actor, project, admin.load_grid(db, admin.UNITS, params), units)
    yield "buildings and units", {"units": records(pd.DataFrame(db.rows("admin/units", params)))}

    rid = revisit_commands.record_service(db, clerk, ServiceRecord(
        project_id=project, service_type="repair", completed_at=datetime.now(UTC) - timedelta(hours=2),
        description="厨房水龙头漏水，更换阀芯", unit_text="A-101", resident_name="张伟", resident_phone="13800138000"))
    task = db.one("revisits/task_for_service", {"service_record_id": rid})
    revisit_commands.assign(db, sup, task["id"], task["version"], clerk.user_id)
    yield "service record assigned", {"revisits": revisit_lists(db)}

    filed = complaint_commands.file_complaint(db, clerk, intake(db, project, "地库照明不亮"))
    c = complaint_commands.judge(db, sup, filed["id"], 1, "invalid", "属市政照明", "general", "normal")
    c = complaint_commands.close(db, sup, filed["id"], c["version"], explanation="已告知业主联系供电局")
    complaint_commands.reopen(db, sup, filed["id"], c["version"], "业主再次来电：仍未修复")
    notices = complaint_reads.inbox_page(db, sup, 0, 100)[0]
    for notice in notices[notices["source"] == "notice"]["notice_id"]:
        complaint_commands.mark_read(db, sup, int(notice))
    yield "reopened, notices read", {"desk": desk(db), "detail": detail(db, filed["id"])}

    wave_id = survey_commands.create_wave(db, sup, surveys.WavePlan(
        name="2026年第四季度回访调查", purpose="了解维修服务满意度", questionnaire_id=1, starts_on=date(2026, 10, 1),
        ends_on=date(2099, 12, 31), forms_issued={project: 50}, target="报修业主", staff="客服"))
    survey_commands.approve_wave(db, mgr, wave_id, 1)
    survey_commands.set_forms_issued(db, sup, wave_id, project, 80)
    links = survey_commands.create_tokens(db, sup, wave_id, project)
    wave = db.one("surveys/wave", {"id": wave_id})
    survey_commands.close_wave(db, mgr, wave_id, wave["version"])
    yield "wave issued, links, closed", {"links": links, "figures": survey_figures(db, wave_id),
                                         "wave": record(survey_reads.wave(db, mgr, wave_id))}

    mapping = Mapping(columns={"source_ref": "单号", "project": "项目"})
    import_commands.save_mapping(db, admin_actor, LEDGER, "旧系统", mapping)
    yield "mapping saved", {"mappings": [m["name"] for m in import_reads.mappings(db, admin_actor, LEDGER)]}


def test_more_commands_read_the_same_on_both_engines(stores):
    runs = {kind: more_commands(db, db.one("org/project_by_code", {"code": "P001"})["id"])
            for kind, db in stores.items()}
    steps = []
    for (step, duck), (step_pg, pg) in zip(runs["duckdb"], runs["postgres"], strict=True):
        assert step == step_pg
        same({"duckdb": duck, "postgres": pg}, step)
        steps.append(step)
        if step == "wave issued, links, closed":
            assert duck["links"] == 2 and duck["wave"]["status"] == "closed"
        if step == "reopened, notices read":
            assert duck["detail"]["complaint"]["status"] == "in_progress"
    assert len(steps) == 5
