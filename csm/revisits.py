"""Revisits (回访): tasks that fall due after events, the record of each attempt, indicators.

DOMAIN.md §3; seeds 000 (回访制度), 002 4.2, 004 (回访表). Due times follow revisit_settings
(days per kind) on the same clock as complaints (csm.sla, with the branch's working calendar).
An unsatisfied revisit reopens its complaint, or opens a new complaint for service records and
surveys, and notifies the supervisor, all in the revisit's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from csm import audit, events, sla
from csm.db import Database, Tx
from csm.errors import ConflictError, UserError, ValidationFailed

KINDS = ("complaint", "repair", "paid_service", "survey", "move_in", "serious")
METHODS = ("phone", "visit", "letter")
FAIL_REASONS = ("no_answer", "wrong_number", "refused", "other")
SATISFACTION = ("very_satisfied", "satisfied", "neutral", "unsatisfied")  # 非常满意/满意/一般/不满意
SERVICE_TYPES = ("repair", "paid_service")


def now_utc() -> datetime:
    return datetime.now(UTC)


def due_at(tx: Tx, kind: str, branch_id: int, event_at: datetime) -> datetime:
    """The revisit's due time: event + N days of the kind, on the complaints' clock."""
    setting = tx.one("revisit_setting_get", {"kind": kind})
    if setting is None:
        raise UserError("revisit.error.kind", field="kind")
    calendar = sla.calendar_for_branch(tx, branch_id)
    return sla.add_limit(event_at, int(setting["due_days"]) * 24 * 60, calendar)


def create_task(
    tx: Tx, actor: str | None, kind: str, project_id: int, event_at: datetime, *,
    unit_id: int | None = None, unit_text: str | None = None, contact_name: str | None = None,
    contact_phone: str | None = None, complaint_id: int | None = None,
    service_record_id: int | None = None, survey_response_id: int | None = None,
    resident_id: int | None = None, parent_task_id: int | None = None, note: str | None = None,
    assignee_id: int | None = None,
) -> int:
    """A revisit task due per settings. Called inside the transaction of the event that causes it."""
    if kind not in KINDS:
        raise UserError("revisit.error.kind", field="kind")
    project = tx.one("project_get_for_scope", {"id": project_id})
    if project is None:
        raise UserError("error.required", field="project")
    row = {
        "kind": kind, "project_id": project_id, "branch_id": project["branch_id"],
        "unit_id": unit_id, "unit_text": unit_text, "contact_name": contact_name,
        "contact_phone": contact_phone, "complaint_id": complaint_id,
        "service_record_id": service_record_id, "survey_response_id": survey_response_id,
        "resident_id": resident_id, "parent_task_id": parent_task_id, "note": note,
        "event_at": event_at, "due_at": due_at(tx, kind, project["branch_id"], event_at),
        "assignee_id": assignee_id,
    }
    task_id = tx.execute("revisit_task_insert", row)[0][0]
    audit.record(tx, actor, "create", "revisit_task", task_id, None, row)
    return task_id


def responsible_manager(tx: Tx, project_id: int) -> int | None:
    """Who makes a serious-dissatisfaction revisit (seed 002 4.2.3): the project's manager, else the
    branch manager (departments have no manager accounts of their own)."""
    project = tx.one("project_get_for_scope", {"id": project_id})
    if project is None:
        return None
    for level in ("project", "branch_manager"):
        for u in tx.rows("users_for_level", {"level": level, "project_id": project_id,
                                            "branch_id": project["branch_id"]}):
            if u["role"] == "manager":
                return u["id"]
    return None


def create_for_complaint(tx: Tx, actor: str | None, complaint: dict, resolved_at: datetime) -> int:
    """Exactly one open complaint revisit per complaint, due 3 days (setting) after resolving."""
    existing = tx.value("revisit_open_for_complaint", {"complaint_id": complaint["id"]})
    if existing:
        return existing
    return create_task(
        tx, actor, "complaint", complaint["project_id"], resolved_at,
        unit_id=complaint.get("unit_id"), unit_text=complaint.get("unit_text"),
        contact_name=complaint.get("complainant_name"),
        contact_phone=complaint.get("complainant_phone"), complaint_id=complaint["id"],
        note=complaint.get("code"),
    )


def record_move_in(db: Database, actor: str, allowed_projects: set[int], project_id: int | None,
                   unit_id: int | None, name: str, phone: str, relation: str, moved_in_on,
                   today=None) -> dict:
    """A resident moves in (入住): the resident is recorded and the move-in revisit falls due
    within a month (setting 'move_in'), in one transaction."""
    from datetime import date, time
    from zoneinfo import ZoneInfo

    from csm.complaints import PHONE_RE, RELATIONS

    today = today or date.today()
    problems: list[UserError] = []
    if project_id is None or project_id not in allowed_projects:
        problems.append(UserError("revisit.error.project", field="project"))
    if not (name or "").strip():
        problems.append(UserError("error.required", field="resident_name"))
    clean_phone = (phone or "").strip().replace(" ", "")
    if clean_phone and not PHONE_RE.match(clean_phone):
        problems.append(UserError("complaint.error.phone", field="phone"))
    if relation not in RELATIONS:
        problems.append(UserError("error.required", field="relation"))
    if moved_in_on is None:
        problems.append(UserError("error.required", field="moved_in_on"))
    elif moved_in_on > today:
        problems.append(UserError("revisit.error.future", field="moved_in_on"))
    if problems:
        raise ValidationFailed(problems)

    def work(tx: Tx) -> dict:
        unit = tx.one("unit_in_project", {"unit_id": unit_id, "project_id": project_id}) if unit_id else None
        if unit_id and unit is None:
            raise ValidationFailed([UserError("complaint.error.unit", field="unit")])
        rid = tx.execute("resident_insert", {"project_id": project_id, "unit_id": unit_id, "name": name.strip(),
                                             "phone": clean_phone or None, "relation": relation,
                                             "moved_in_on": moved_in_on})[0][0]
        tz = tx.value("setting_get", {"key": "timezone"}) or "Asia/Shanghai"
        event_at = datetime.combine(moved_in_on, time(9, 0), ZoneInfo(tz))
        task_id = create_task(tx, actor, "move_in", project_id, event_at, unit_id=unit_id,
                              unit_text=unit["code"] if unit else None, contact_name=name.strip(),
                              contact_phone=clean_phone or None, resident_id=rid)
        audit.record(tx, actor, "create", "resident", rid, None,
                     {"project_id": project_id, "unit_id": unit_id, "name": name.strip(), "moved_in_on": moved_in_on,
                      "revisit_task_id": task_id})
        return {"resident_id": rid, "task_id": task_id}

    return db.transaction(work)


# ---- service records (repairs, paid services) ----------------------------------------------
@dataclass
class ServiceRecord:
    project_id: int
    service_type: str
    completed_at: datetime | None
    description: str
    unit_text: str | None = None
    resident_name: str | None = None
    resident_phone: str | None = None
    department_id: int | None = None
    completed_by: str | None = None
    external_ref: str | None = None


def validate_service_record(tx: Tx, rec: ServiceRecord, allowed_projects: set[int],
                            now: datetime) -> list[UserError]:
    problems: list[UserError] = []
    if rec.project_id is None or rec.project_id not in allowed_projects:
        problems.append(UserError("revisit.error.project", field="project"))
    if rec.service_type not in SERVICE_TYPES:
        problems.append(UserError("revisit.error.service_type", field="service_type"))
    if rec.completed_at is None:
        problems.append(UserError("error.required", field="completed_at"))
    elif rec.completed_at > now:
        problems.append(UserError("revisit.error.future", field="completed_at"))
    if not (rec.description or "").strip():
        problems.append(UserError("error.required", field="description"))
    if rec.external_ref and rec.project_id in allowed_projects and tx.value(
            "service_record_ref_exists", {"project_id": rec.project_id, "external_ref": rec.external_ref}):
        problems.append(UserError("revisit.error.ref_exists", field="external_ref", ref=rec.external_ref))
    return problems


def _insert_service_record(tx: Tx, actor: str, rec: ServiceRecord, batch: str | None) -> int:
    project = tx.one("project_get_for_scope", {"id": rec.project_id})
    unit = tx.one("unit_by_code", {"project_id": rec.project_id, "code": rec.unit_text}) \
        if rec.unit_text else None
    row = {
        "project_id": rec.project_id, "branch_id": project["branch_id"],
        "unit_id": unit["id"] if unit else None, "unit_text": rec.unit_text,
        "resident_name": rec.resident_name, "resident_phone": rec.resident_phone,
        "service_type": rec.service_type, "department_id": rec.department_id,
        "completed_at": rec.completed_at, "completed_by": rec.completed_by,
        "description": rec.description.strip(), "external_ref": rec.external_ref,
        "import_batch": batch, "created_by": actor,
    }
    record_id = tx.execute("service_record_insert", row)[0][0]
    audit.record(tx, actor, "create", "service_record", record_id, None, row)
    create_task(tx, actor, rec.service_type, rec.project_id, rec.completed_at,
                unit_id=row["unit_id"], unit_text=rec.unit_text, contact_name=rec.resident_name,
                contact_phone=rec.resident_phone, service_record_id=record_id,
                note=rec.description.strip()[:80])
    return record_id


def record_service(db: Database, actor: str, allowed_projects: set[int], rec: ServiceRecord) -> int:
    """Enter one completed repair / paid service; its revisit task is created with it."""
    def work(tx: Tx) -> int:
        problems = validate_service_record(tx, rec, allowed_projects, now_utc())
        if problems:
            raise ValidationFailed(problems)
        return _insert_service_record(tx, actor, rec, None)

    return db.transaction(work)


def import_service_records(db: Database, actor: str, allowed_projects: set[int],
                           records: list[tuple[int, ServiceRecord | list[UserError]]],
                           batch: str) -> int:
    """All rows or none. records: (row number, parsed record or its parse errors)."""
    from csm.errors import UserError as UE

    def work(tx: Tx) -> int:
        if tx.value("service_import_batch_exists", {"import_batch": batch}):
            raise UE("revisit.import.duplicate_file")
        problems: list[UserError] = []
        seen: set[tuple[int, str]] = set()
        now = now_utc()
        for row_no, rec in records:
            errs = rec if isinstance(rec, list) else validate_service_record(tx, rec, allowed_projects, now)
            if not isinstance(rec, list) and rec.external_ref:
                key = (rec.project_id, rec.external_ref)
                if key in seen:
                    errs = [*errs, UE("revisit.error.ref_twice", field="external_ref", ref=rec.external_ref)]
                seen.add(key)
            problems += [UE("revisit.import.row", row=row_no, problem=e.message()) for e in errs]
        if problems:
            raise ValidationFailed(problems)
        for _, rec in records:
            _insert_service_record(tx, actor, rec, batch)
        return len(records)

    return db.transaction(work)


# ---- recording a revisit -------------------------------------------------------------------
@dataclass
class Attempt:
    method: str
    reached: bool
    attempt_at: datetime | None = None
    fail_reason: str | None = None
    person_reached: str | None = None
    relation: str | None = None
    satisfaction: str | None = None
    attitude: str | None = None
    efficiency: str | None = None
    effect: str | None = None
    comments: str | None = None
    serious: bool = False


def validate_attempt(task: dict, a: Attempt, now: datetime) -> list[UserError]:
    problems: list[UserError] = []
    if a.method not in METHODS:
        problems.append(UserError("error.required", field="revisit_method"))
    if a.attempt_at is not None and a.attempt_at > now:
        problems.append(UserError("revisit.error.future", field="attempt_at"))
    if not a.reached:
        if a.fail_reason not in FAIL_REASONS:
            problems.append(UserError("error.required", field="fail_reason"))
        return problems
    if not (a.person_reached or "").strip():
        problems.append(UserError("error.required", field="person_reached"))
    if a.satisfaction not in SATISFACTION:
        problems.append(UserError("error.required", field="satisfaction"))
    if task["kind"] == "repair":
        for aspect in ("attitude", "efficiency", "effect"):
            if getattr(a, aspect) not in SATISFACTION:
                problems.append(UserError("error.required", field=f"repair_{aspect}"))
    if a.satisfaction == "unsatisfied" and not (a.comments or "").strip():
        problems.append(UserError("revisit.error.unsatisfied_comment", field="comments"))
    return problems


def record_revisit(db: Database, actor: str, task_id: int, expected_version: int, a: Attempt,
                   scope_params: dict) -> dict:
    """record_revisit: a failed attempt keeps the task due (flagged after N); a reached one closes
    it; unsatisfied reopens or opens a complaint and notifies the supervisor — one transaction."""
    def work(tx: Tx) -> dict:
        visible = tx.one("revisit_task_detail", {"id": task_id, **scope_params})
        task = tx.one("revisit_task_get", {"id": task_id})
        if visible is None or task is None:
            raise UserError("revisit.error.not_found")
        if task["status"] != "open":
            raise UserError("revisit.error.not_open")
        now = now_utc()
        problems = validate_attempt(task, a, now)
        if problems:
            raise ValidationFailed(problems)
        at = a.attempt_at or now
        changed = tx.execute(
            "revisit_task_done" if a.reached else "revisit_task_failed",
            {"id": task_id, "expected_version": expected_version, "done_at": at,
             "satisfaction": a.satisfaction} if a.reached else
            {"id": task_id, "expected_version": expected_version})
        if not changed:
            raise ConflictError()
        record_id = tx.execute("revisit_attempt_insert", {
            "task_id": task_id, "attempt_at": at, "by_user": actor, "method": a.method,
            "reached": a.reached, "fail_reason": None if a.reached else a.fail_reason,
            "person_reached": a.person_reached, "relation": a.relation,
            "satisfaction": a.satisfaction if a.reached else None,
            "attitude": a.attitude, "efficiency": a.efficiency, "effect": a.effect,
            "comments": a.comments, "serious": bool(a.serious),
        })[0][0]
        outcome = {"record_id": record_id, "done": a.reached, "reopened_complaint_id": None,
                   "new_complaint_id": None, "serious_task_id": None,
                   "flagged": (not a.reached) and task["failed_attempts"] + 1 >= task["max_failed_attempts"]}
        if a.reached and a.satisfaction == "unsatisfied":
            outcome.update(events.emit_one(tx, "revisit.unsatisfied", by=actor, task=task,
                                           reason=a.comments.strip(), record_id=record_id, at=at))
            tx.execute("revisit_attempt_link", {"id": record_id,
                                                "reopened_complaint_id": outcome["reopened_complaint_id"],
                                                "new_complaint_id": outcome["new_complaint_id"]})
        if a.reached and a.satisfaction != "unsatisfied":
            events.emit(tx, "revisit.satisfied", by=actor, task=task, at=at)
        if a.reached and a.serious:
            # seed 002 4.2.3: serious dissatisfaction → a separate revisit by the department manager
            outcome["serious_task_id"] = create_task(
                tx, actor, "serious", task["project_id"], at, assignee_id=responsible_manager(tx, task["project_id"]),
                unit_id=task["unit_id"],
                unit_text=task["unit_text"], contact_name=task["contact_name"],
                contact_phone=task["contact_phone"], complaint_id=task["complaint_id"] or
                outcome["new_complaint_id"], parent_task_id=task_id, note=a.comments)
        audit.record(tx, actor, "revisit", "revisit_task", task_id, None,
                     {"reached": a.reached, "satisfaction": a.satisfaction, **outcome})
        return outcome

    return db.transaction(work)


def assign(db: Database, actor: str, task_id: int, expected_version: int, assignee_id: int | None,
           scope_params: dict) -> None:
    def work(tx: Tx) -> None:
        if tx.one("revisit_task_detail", {"id": task_id, **scope_params}) is None:
            raise UserError("revisit.error.not_found")
        if not tx.execute("revisit_task_assign", {"id": task_id, "expected_version": expected_version,
                                                  "assignee_id": assignee_id}):
            raise ConflictError()
        audit.record(tx, actor, "assign", "revisit_task", task_id, None, {"assignee_id": assignee_id})

    db.transaction(work)


# ---- indicators (one definition: queries/revisits/revisit_indicators.sql) ------------------
def indicators(db: Database, scope_params: dict, period_start: datetime, period_end: datetime,
               kind: str | None = None, project_id: int | None = None, group_by: str = "all"):
    return db.df("revisit_indicators", {**scope_params, "period_start": period_start,
                                        "period_end": period_end, "kind": kind,
                                        "project_id": project_id, "group_by": group_by})
