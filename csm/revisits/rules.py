"""The rules of revisits (回访): the values a task and an attempt take, and what makes an attempt or
a service record acceptable. Pure functions: no database, no transaction (internal module)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from csm import limits, phones
from csm.errors import UserError

KINDS = ("complaint", "repair", "paid_service", "survey", "move_in", "serious")
METHODS = ("phone", "visit", "letter")
FAIL_REASONS = ("no_answer", "wrong_number", "refused", "other")
SATISFACTION = ("very_satisfied", "satisfied", "neutral", "unsatisfied")  # 非常满意/满意/一般/不满意
SERVICE_TYPES = ("repair", "paid_service")
REPAIR_ASPECTS = ("attitude", "efficiency", "effect")
BUCKETS = ("overdue", "today", "upcoming", "all")

# A resident's relation to the unit; phone numbers are checked and normalised by csm/phones.py,
# the one rule of every form and importer.
RELATIONS = phones.RELATIONS


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


def validate_service_record(rec: ServiceRecord, in_scope: bool, now: datetime,
                            ref_exists: bool = False) -> list[UserError]:
    """in_scope: the record's project lies in the actor's scope; ref_exists: its work-order number
    is already recorded in that project (only asked when in scope)."""
    problems: list[UserError] = []
    if rec.project_id is None or not in_scope:
        problems.append(UserError("revisit.error.project", field="project"))
    if rec.service_type not in SERVICE_TYPES:
        problems.append(UserError("revisit.error.service_type", field="service_type"))
    if rec.completed_at is None:
        problems.append(UserError("error.required", field="completed_at"))
    elif rec.completed_at > now:
        problems.append(UserError("revisit.error.future", field="completed_at"))
    if not (rec.description or "").strip():
        problems.append(UserError("error.required", field="description"))
    if rec.external_ref and in_scope and ref_exists:
        problems.append(UserError("revisit.error.ref_exists", field="external_ref", ref=rec.external_ref))
    phone_problem = phones.problem(rec.resident_phone, "phone")
    if phone_problem:
        problems.append(phone_problem)
    return limits.check(problems, (rec.description, limits.TEXT, "description"),
                        (rec.unit_text, limits.UNIT, "unit"), (rec.resident_name, limits.NAME, "resident_name"),
                        (rec.completed_by, limits.NAME, "completed_by"), (rec.external_ref, limits.REF, "external_ref"))


def needs_aspects(kind: str) -> bool:
    """A repair revisit also rates attitude, efficiency and effect (seed 004 回访表)."""
    return kind == "repair"


def validate_attempt(task: dict, a: Attempt, now: datetime) -> list[UserError]:
    problems: list[UserError] = []
    if a.method not in METHODS:
        problems.append(UserError("error.required", field="revisit_method"))
    if a.attempt_at is not None and a.attempt_at > now:
        problems.append(UserError("revisit.error.future", field="attempt_at"))
    limits.check(problems, (a.person_reached, limits.NAME, "person_reached"), (a.comments, limits.TEXT, "comments"))
    if not a.reached:
        if a.fail_reason not in FAIL_REASONS:
            problems.append(UserError("error.required", field="fail_reason"))
        return problems
    if not (a.person_reached or "").strip():
        problems.append(UserError("error.required", field="person_reached"))
    if a.satisfaction not in SATISFACTION:
        problems.append(UserError("error.required", field="satisfaction"))
    if needs_aspects(task["kind"]):
        for aspect in REPAIR_ASPECTS:
            if getattr(a, aspect) not in SATISFACTION:
                problems.append(UserError("error.required", field=f"repair_{aspect}"))
    if a.satisfaction == "unsatisfied" and not (a.comments or "").strip():
        problems.append(UserError("revisit.error.unsatisfied_comment", field="comments"))
    return problems


def clean_phone(phone: str | None) -> str:
    """The stored form of a phone number (csm/phones.py)."""
    return phones.stored(phone)


def validate_move_in(project_in_scope: bool, name: str, phone: str, relation: str,
                     moved_in_on: date | None, today: date) -> list[UserError]:
    problems: list[UserError] = []
    if not project_in_scope:
        problems.append(UserError("revisit.error.project", field="project"))
    if not (name or "").strip():
        problems.append(UserError("error.required", field="resident_name"))
    phone_problem = phones.problem(phone, "phone")
    if phone_problem:
        problems.append(phone_problem)
    limits.check(problems, (name, limits.NAME, "resident_name"))
    if relation not in RELATIONS:
        problems.append(UserError("error.required", field="relation"))
    if moved_in_on is None:
        problems.append(UserError("error.required", field="moved_in_on"))
    elif moved_in_on > today:
        problems.append(UserError("revisit.error.future", field="moved_in_on"))
    return problems
