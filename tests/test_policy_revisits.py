"""Role matrix of the revisit reads and commands (see tests/policy_matrix.py): the queue and
recording for clerk, supervisor and manager; service records and move-ins for clerk and
supervisor; a task of P001 is refused to an actor scoped elsewhere, lists hold none of it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import Workbook

from csm.revisits import Attempt, ServiceRecord, commands, reads
from tests.policy_matrix import Case, matrix_test


def _p001(db) -> int:
    return db.one("org/project_by_code", {"code": "P001"})["id"]


def _p001_name(db) -> str:
    return db.one("org/project_by_code", {"code": "P001"})["name"]


def _p001_task(db) -> dict:
    """An open task of P001 with its current version."""
    now = datetime.now(UTC)
    return db.rows("revisits/tasks", {"scope_kind": "group", "scope_id": -1, "bucket": "all", "kind": None,
                                      "project_id": _p001(db), "assignee_id": None, "now": now,
                                      "day_start": now, "day_end": now, "limit": 1})[0]


def _p001_service_record(db) -> int:
    return db._conn.execute("SELECT min(id) FROM service_records WHERE project_id = ?", [_p001(db)]).fetchone()[0]


def _own_project(db, actor) -> dict:
    """The first project in the actor's own scope (a command of a list-wide role needs one)."""
    return db.rows("org/projects_in_scope", actor.params())[0]


def _no_p001_rows(db, frame) -> None:
    assert len(frame), "the outside actor's own project has open tasks in the demo"
    assert _p001_name(db) not in set(frame["project"])


def _no_p001_services(db, rows) -> None:
    assert _p001_name(db) not in set(rows["project"])


def _no_p001_project(db, out) -> None:
    assert out["projects"] and _p001(db) not in {p["id"] for p in out["projects"]}


def _service(db, actor) -> ServiceRecord:
    return ServiceRecord(project_id=_own_project(db, actor)["id"], service_type="repair",
                         completed_at=datetime.now(UTC) - timedelta(hours=1), description="更换角阀",
                         unit_text="1-0101", resident_name="张伟", resident_phone="13800138000")


def _export(db, actor) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "服务类型", "完成时间", "内容"])
    ws.append([_own_project(db, actor)["code"], "维修", "2026-11-20 15:30", "换阀芯"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FAILED = Attempt(method="phone", reached=False, fail_reason="no_answer")
NOV_START, DEC_START = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)

CASES = [
    # ---- the queue --------------------------------------------------------------------------
    Case("revisits.queue", lambda db, a: reads.choices(db, a), record=False,
         check_outside=_no_p001_project, id="choices"),
    Case("revisits.queue", lambda db, a: reads.queue_counts(db, a), record=False, id="queue_counts"),
    Case("revisits.queue", lambda db, a: reads.tasks(db, a), record=False, check_outside=_no_p001_rows,
         id="tasks"),
    Case("revisits.queue", lambda db, a: reads.tasks(db, a, reads.Filters(project_id=_p001(db))),
         id="tasks.P001"),
    Case("revisits.task", lambda db, a: reads.task(db, a, _p001_task(db)["id"]), id="task.P001"),
    Case("revisits.task", lambda db, a: reads.attempts(db, a, _p001_task(db)["id"]), id="attempts.P001"),
    Case("revisits.indicators", lambda db, a: reads.indicators(db, a, NOV_START, DEC_START), record=False,
         id="indicators"),
    Case("revisits.indicators", lambda db, a: reads.month_indicators(db, a), record=False,
         id="month_indicators"),
    Case("revisits.indicators", lambda db, a: reads.indicators(db, a, NOV_START, DEC_START,
                                                               project_id=_p001(db)), id="indicators.P001"),
    # ---- recording and assigning -------------------------------------------------------------
    Case("revisits.record_revisit", lambda db, a: commands.record_revisit(
        db, a, (t := _p001_task(db))["id"], t["version"], FAILED), id="record_revisit.P001"),
    Case("revisits.assign", lambda db, a: commands.assign(
        db, a, (t := _p001_task(db))["id"], t["version"], None), id="assign.P001"),
    # ---- service records ---------------------------------------------------------------------
    Case("revisits.service_list", lambda db, a: reads.service_list(db, a, date(2020, 1, 1), date(2030, 12, 31)),
         record=False, check_outside=_no_p001_services, id="service_list"),
    Case("revisits.service_list", lambda db, a: reads.service_list(db, a, date(2020, 1, 1), date(2030, 12, 31),
                                                                    project_id=_p001(db)), id="service_list.P001"),
    Case("revisits.service_form", lambda db, a: reads.service_choices(db, a), record=False,
         check_outside=_no_p001_project, id="service_choices"),
    Case("revisits.service_form", lambda db, a: reads.import_template(db, a), record=False,
         id="import_template"),
    Case("revisits.service_form", lambda db, a: reads.service_due(db, a, _p001_service_record(db)),
         id="service_due.P001"),
    Case("revisits.record_service", lambda db, a: commands.record_service(db, a, _service(db, a)),
         record=False, id="record_service"),
    Case("revisits.import_service_records", lambda db, a: commands.import_service_records(
        db, a, _export(db, a), "export.xlsx"), record=False, id="import_service_records"),
    # ---- a move-in (the residents page) ------------------------------------------------------
    Case("revisits.record_move_in", lambda db, a: commands.record_move_in(
        db, a, project_id=_own_project(db, a)["id"], unit_id=None, name="褚明", phone="13700001234",
        relation="tenant", moved_in_on=date(2026, 11, 20)), record=False, id="record_move_in"),
]

test_role_matrix = matrix_test(CASES)
