"""Revisits (回访): every write a screen runs — record an attempt, assign a task, enter or import
completed repairs / paid services, record a move-in. Each `fn(db, actor, ...)` checks the policy
(csm.policy), derives the scope from the actor, and runs in one transaction with its audit.

DOMAIN.md §3; seeds 000 (回访制度), 002 4.2, 004 (回访表). An unsatisfied revisit reopens its
complaint, or opens a new complaint for service records and surveys (event revisit.unsatisfied,
csm/flows.py), all in the revisit's own transaction.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from csm import audit, events, excel, policy
from csm.actor import Actor
from csm.db import Database, Tx
from csm.errors import ConflictError, PermissionDenied, UserError, ValidationFailed
from csm.revisits import importer
from csm.revisits.rules import (
    Attempt,
    ServiceRecord,
    clean_phone,
    validate_attempt,
    validate_move_in,
    validate_service_record,
)
from csm.revisits.tasks import create_task, responsible_manager


def _own_projects(tx: Tx, actor: Actor) -> set[int]:
    """The active projects of the actor's scope: the ones a record may be entered for."""
    return {p["id"] for p in tx.rows("org/projects_in_scope", actor.params())}


def _visible_task(tx: Tx, actor: Actor, task_id: int) -> dict:
    """The task for a command: unknown → 'not found'; outside the actor's scope → PermissionDenied."""
    task = tx.one("revisits/task_get", {"id": task_id})
    if task is None:
        raise UserError("revisit.error.not_found")
    if tx.one("revisits/task_detail", {"id": task_id, **actor.params()}) is None:
        raise PermissionDenied()
    return task


# ---- service records (repairs, paid services) ----------------------------------------------
def _check_service_record(tx: Tx, own: set[int], rec: ServiceRecord, now: datetime) -> list[UserError]:
    in_scope = rec.project_id in own
    ref_exists = bool(in_scope and rec.external_ref and tx.value(
        "revisits/service_record_ref_exists", {"project_id": rec.project_id, "external_ref": rec.external_ref}))
    return validate_service_record(rec, in_scope, now, ref_exists)


def _insert_service_record(tx: Tx, actor: Actor, rec: ServiceRecord, batch: str | None) -> int:
    project = tx.one("org/project_get_for_scope", {"id": rec.project_id})
    unit = tx.one("revisits/unit_by_code", {"project_id": rec.project_id, "code": rec.unit_text}) \
        if rec.unit_text else None
    row = {
        "project_id": rec.project_id, "branch_id": project["branch_id"],
        "unit_id": unit["id"] if unit else None, "unit_text": rec.unit_text,
        "resident_name": rec.resident_name, "resident_phone": clean_phone(rec.resident_phone) or None,
        "service_type": rec.service_type, "department_id": rec.department_id,
        "completed_at": rec.completed_at, "completed_by": rec.completed_by,
        "description": rec.description.strip(), "external_ref": rec.external_ref,
        "import_batch": batch, "created_by": actor.username,
    }
    record_id = tx.execute("revisits/service_record_insert", row)[0][0]
    audit.record(tx, actor.username, "create", "service_record", record_id, None, row)
    create_task(tx, actor.username, rec.service_type, rec.project_id, rec.completed_at,
                unit_id=row["unit_id"], unit_text=rec.unit_text, contact_name=rec.resident_name,
                contact_phone=row["resident_phone"], service_record_id=record_id,
                note=rec.description.strip()[:80])
    return record_id


@policy.guarded("revisits.record_service")
def record_service(db: Database, actor: Actor, rec: ServiceRecord) -> int:
    """Enter one completed repair / paid service; its revisit task is created with it."""
    def work(tx: Tx) -> int:
        problems = _check_service_record(tx, _own_projects(tx, actor), rec, actor.now())
        if problems:
            raise ValidationFailed(problems)
        return _insert_service_record(tx, actor, rec, None)

    return db.transaction(work)


@policy.guarded("revisits.import_service_records")
def import_service_records(db: Database, actor: Actor, data: bytes, filename: str,
                           progress=None) -> excel.Imported:
    """A repair-system export (Excel / CSV): all rows or none; a file imported before adds nothing.
    Returns one entry per record saved, with .samples: the template sample rows skipped.
    progress(phase, done, total) reports reading, checking and saving (csm.web.ui.import_progress)."""
    records, samples = importer.parse(db, data, filename, progress)
    batch = importer.file_hash(data)
    if progress:
        progress("save", 0, len(records))

    def work(tx: Tx) -> int:
        if tx.value("revisits/import_batch_exists", {"import_batch": batch}):
            raise UserError("revisit.import.duplicate_file")
        problems: list[UserError] = []
        seen: set[tuple[int, str]] = set()
        now, own = actor.now(), _own_projects(tx, actor)
        for row_no, rec in records:
            errs = rec if isinstance(rec, list) else _check_service_record(tx, own, rec, now)
            if not isinstance(rec, list) and rec.external_ref:
                key = (rec.project_id, rec.external_ref)
                if key in seen:
                    errs = [*errs, UserError("revisit.error.ref_twice", field="external_ref", ref=rec.external_ref)]
                seen.add(key)
            problems += [UserError("revisit.import.row", row=row_no, problem=e.message()) for e in errs]
        if problems:
            raise ValidationFailed(problems)
        for _, rec in records:
            _insert_service_record(tx, actor, rec, batch)
        return len(records)

    n = db.transaction(work)
    if progress:
        progress("save", n, n)
    return excel.Imported(range(n), samples)


# ---- a resident moves in (入住) -------------------------------------------------------------
@policy.guarded("revisits.record_move_in")
def record_move_in(db: Database, actor: Actor, *, project_id: int | None, unit_id: int | None, name: str,
                   phone: str, relation: str, moved_in_on) -> dict:
    """A resident moves in (入住): the resident is recorded and the move-in revisit falls due
    within a month (setting 'move_in'), in one transaction. Returns resident_id, task_id, due_at."""
    def work(tx: Tx) -> dict:
        problems = validate_move_in(project_id in _own_projects(tx, actor), name, phone, relation,
                                    moved_in_on, actor.today())
        if problems:
            raise ValidationFailed(problems)
        unit = tx.one("complaints/unit_in_project", {"unit_id": unit_id, "project_id": project_id}) \
            if unit_id else None
        if unit_id and unit is None:
            raise ValidationFailed([UserError("complaint.error.unit", field="unit")])
        phone_ = clean_phone(phone) or None
        rid = tx.execute("revisits/resident_insert", {
            "project_id": project_id, "unit_id": unit_id, "name": name.strip(), "phone": phone_,
            "relation": relation, "moved_in_on": moved_in_on})[0][0]
        event_at = datetime.combine(moved_in_on, time(9, 0), ZoneInfo(actor.tz))
        task_id = create_task(tx, actor.username, "move_in", project_id, event_at, unit_id=unit_id,
                              unit_text=unit["code"] if unit else None, contact_name=name.strip(),
                              contact_phone=phone_, resident_id=rid)
        audit.record(tx, actor.username, "create", "resident", rid, None,
                     {"project_id": project_id, "unit_id": unit_id, "name": name.strip(),
                      "moved_in_on": moved_in_on, "revisit_task_id": task_id})
        due = tx.one("revisits/task_get", {"id": task_id})["due_at"]
        return {"resident_id": rid, "task_id": task_id, "due_at": due}

    return db.transaction(work)


# ---- recording a revisit -------------------------------------------------------------------
@policy.guarded("revisits.record_revisit")
def record_revisit(db: Database, actor: Actor, task_id: int, expected_version: int, a: Attempt) -> dict:
    """A failed attempt keeps the task due (flagged after N); a reached one closes it; unsatisfied
    reopens or opens a complaint and notifies the supervisor — one transaction. The outcome names
    the complaint reopened or opened (id and code)."""
    by = actor.username

    def work(tx: Tx) -> dict:
        task = _visible_task(tx, actor, task_id)
        if task["status"] != "open":
            raise UserError("revisit.error.not_open")
        now = actor.now()
        problems = validate_attempt(task, a, now)
        if problems:
            raise ValidationFailed(problems)
        at = a.attempt_at or now
        changed = tx.execute(
            "revisits/task_done" if a.reached else "revisits/task_failed",
            {"id": task_id, "expected_version": expected_version, "done_at": at,
             "satisfaction": a.satisfaction} if a.reached else
            {"id": task_id, "expected_version": expected_version})
        if not changed:
            raise ConflictError()
        record_id = tx.execute("revisits/attempt_insert", {
            "task_id": task_id, "attempt_at": at, "by_user": by, "method": a.method,
            "reached": a.reached, "fail_reason": None if a.reached else a.fail_reason,
            "person_reached": a.person_reached, "relation": a.relation,
            "satisfaction": a.satisfaction if a.reached else None,
            "attitude": a.attitude, "efficiency": a.efficiency, "effect": a.effect,
            "comments": a.comments, "serious": bool(a.serious),
        })[0][0]
        outcome = {"record_id": record_id, "done": a.reached, "reopened_complaint_id": None,
                   "new_complaint_id": None, "complaint_code": None, "serious_task_id": None,
                   "failed_attempts": task["failed_attempts"] + (0 if a.reached else 1),
                   "flagged": (not a.reached) and task["failed_attempts"] + 1 >= task["max_failed_attempts"]}
        if a.reached and a.satisfaction == "unsatisfied":
            outcome.update(events.emit_one(tx, "revisit.unsatisfied", by=by, task=task,
                                           reason=a.comments.strip(), record_id=record_id, at=at))
            tx.execute("revisits/attempt_link", {"id": record_id,
                                                 "reopened_complaint_id": outcome["reopened_complaint_id"],
                                                 "new_complaint_id": outcome["new_complaint_id"]})
            cid = outcome["reopened_complaint_id"] or outcome["new_complaint_id"]
            outcome["complaint_code"] = tx.value("complaints/code", {"id": cid}) if cid else None
        if a.reached and a.satisfaction != "unsatisfied":
            events.emit(tx, "revisit.satisfied", by=by, task=task, at=at)
        if a.reached and a.serious:
            # seed 002 4.2.3: serious dissatisfaction → a separate revisit by the department manager
            outcome["serious_task_id"] = create_task(
                tx, by, "serious", task["project_id"], at, assignee_id=responsible_manager(tx, task["project_id"]),
                unit_id=task["unit_id"],
                unit_text=task["unit_text"], contact_name=task["contact_name"],
                contact_phone=task["contact_phone"], complaint_id=task["complaint_id"] or
                outcome["new_complaint_id"], parent_task_id=task_id, note=a.comments)
        audit.record(tx, by, "revisit", "revisit_task", task_id, None,
                     {"reached": a.reached, "satisfaction": a.satisfaction, **outcome})
        return outcome

    return db.transaction(work)


@policy.guarded("revisits.assign")
def assign(db: Database, actor: Actor, task_id: int, expected_version: int, assignee_id: int | None) -> None:
    def work(tx: Tx) -> None:
        _visible_task(tx, actor, task_id)
        if not tx.execute("revisits/task_assign", {"id": task_id, "expected_version": expected_version,
                                                   "assignee_id": assignee_id}):
            raise ConflictError()
        audit.record(tx, actor.username, "assign", "revisit_task", task_id, None, {"assignee_id": assignee_id})

    db.transaction(work)
