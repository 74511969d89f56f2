"""Complaint commands (DOMAIN.md §2; seeds 000, 002, 003, 004): every write a screen or the CLI
runs, as `fn(db, actor, ...)` guarded by its policy name (csm/policy.py). Each runs in one
transaction that
1. reads the complaint within the actor's scope (one outside it is refused: PermissionDenied),
2. asks csm.status whether the action is allowed in the current status for the actor's role,
3. writes the row only if its version is still the one the actor saw (else ConflictError:
   "somebody changed it"), and
4. writes the history (who, when, field, from, to), the audit trail and any inbox notices.
Due times come from csm.sla only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from csm import events, limits, policy, sla
from csm.actor import Actor
from csm.complaints import rules, steps
from csm.complaints.rules import Attachment, Intake
from csm.db import Database
from csm.errors import UserError, ValidationFailed


@policy.guarded("complaints.file_complaint")
def file_complaint(db: Database, actor: Actor, c: Intake, attachments: list[Attachment] = (),
                   now: datetime | None = None) -> dict:
    """Saves a new complaint of a project in the actor's scope, with its code and due times;
    returns {id, code, due times}. Every problem of the register is named at once (ValidationFailed).
    Concurrent filings of this process share one transaction (a group commit: steps.file_many
    validates and files each in the batch; a caller gets its own result or error, after the commit)."""
    now = now or actor.now()
    if c.received_at is None:
        c.received_at = now
    problems, kinds = [], []
    for a in attachments:  # every bad file named, before anything is written
        try:
            kinds.append(rules.attachment_kind(a))
        except UserError as exc:
            problems.append(exc)
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationFailed(problems)
    scope = actor.params()
    # a filing refused in its batch (a problem of the form, any failure) leaves no stored file behind
    with rules.attachments_for_filing(db, attachments, kinds) as stored:
        filing = steps.Filing(actor.username, (scope["scope_kind"], scope["scope_id"]), c, now,
                              list(zip(attachments, stored, strict=True)))
        return db.group_commit("complaints.file", lambda tx, batch, ref: steps.file_many(tx, batch, db.timezone, ref),
                               reference=False).submit(filing)


@policy.guarded("complaints.judge")
def judge(db: Database, actor: Actor, complaint_id: int, version: int, validity: str, basis: str,
          grade: str, urgency: str, now: datetime | None = None) -> dict:
    """投诉界定: validity with its basis, grade, urgency; due times follow grade × urgency."""
    problems = []
    if validity not in rules.VALIDITY:
        problems.append(UserError("error.required", field="validity"))
    if not (basis or "").strip():
        problems.append(UserError("error.required", field="validity_basis"))
    limits.check(problems, (basis, limits.TEXT, "validity_basis"))
    if grade not in sla.GRADES:
        problems.append(UserError("error.required", field="grade"))
    if urgency not in sla.URGENCIES:
        problems.append(UserError("error.required", field="urgency"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, at):
        origin = tx.one("complaints/channel_get", {"id": c["channel_id"]})["origin"]
        level = rules.owner_level_for(grade, origin)
        out = {"validity": validity, "validity_basis": basis.strip(), "grade": grade, "urgency": urgency,
               "judged_at": at, "judged_by": actor.username, "owner_level": level,
               **steps.recompute_due(tx, c, grade, urgency)}
        if level in ("general_manager", "branch_manager", "quality_department") and level != c["owner_level"]:
            steps.notify(tx, level, c, "major" if grade == "major" else ("quality" if level == "quality_department"
                                                                   else "important"),
                   exclude=actor.username)
        return out

    return steps.step(db, actor, complaint_id, version, "judge", change, now)


@policy.guarded("complaints.dispatch")
def dispatch(db: Database, actor: Actor, complaint_id: int, version: int, department_id: int | None,
             assignee_id: int | None = None, now: datetime | None = None) -> dict:
    if department_id is None:
        raise ValidationFailed([UserError("error.required", field="department")])

    def change(tx, c, _new, at):
        if assignee_id is not None and tx.one("complaints/user_in_scope_get",
                                              {"id": assignee_id, "project_id": c["project_id"]}) is None:
            raise ValidationFailed([UserError("complaint.error.assignee", field="assignee")])
        if assignee_id is not None and assignee_id != c["assignee_id"]:
            tx.execute("complaints/notification_insert", {"user_id": assignee_id, "complaint_id": c["id"], "kind": "assigned"})
        return {"department_id": department_id, "assignee_id": assignee_id, "dispatched_at": at}

    return steps.step(db, actor, complaint_id, version, "dispatch", change, now)


@policy.guarded("complaints.add_handling")
def add_handling(db: Database, actor: Actor, complaint_id: int, version: int, handled_by: str, content: str,
                 handled_at: datetime | None = None, now: datetime | None = None) -> dict:
    """A handling record (处理记录: who, when, what was done); the complaint is in progress."""
    now = now or actor.now()
    handled_at = handled_at or now
    problems = []
    if not (handled_by or "").strip():
        problems.append(UserError("error.required", field="handled_by"))
    if not (content or "").strip():
        problems.append(UserError("error.required", field="content"))
    limits.check(problems, (handled_by, limits.NAME, "handled_by"), (content, limits.TEXT, "content"))
    if handled_at > now + timedelta(minutes=1):
        problems.append(UserError("complaint.error.future", field="handled_at"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, _at):
        tx.execute("complaints/handling_insert", {"complaint_id": c["id"], "handled_at": handled_at,
                                                 "handled_by": handled_by.strip(), "content": content,
                                                 "recorded_by": actor.username})
        return {"first_response_at": c["first_response_at"] or handled_at}

    return steps.step(db, actor, complaint_id, version, "handle", change, now, note=content[:200])


@policy.guarded("complaints.add_progress")
def add_progress(db: Database, actor: Actor, complaint_id: int, version: int, method: str, content: str,
                 now: datetime | None = None) -> dict:
    """An update given to the resident (seed 000); the first one is the first response."""
    problems = []
    if method not in rules.PROGRESS_METHODS:
        problems.append(UserError("error.required", field="progress_method"))
    if not (content or "").strip():
        problems.append(UserError("error.required", field="content"))
    limits.check(problems, (content, limits.TEXT, "content"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, at):
        tx.execute("complaints/progress_insert", {"complaint_id": c["id"], "given_at": at, "method": method,
                                                 "content": content, "recorded_by": actor.username})
        return {"first_response_at": c["first_response_at"] or at}

    return steps.step(db, actor, complaint_id, version, "progress", change, now, note=content[:200])


@policy.guarded("complaints.suspend")
def suspend(db: Database, actor: Actor, complaint_id: int, version: int, reason: str,
            now: datetime | None = None) -> dict:
    if not (reason or "").strip():
        raise ValidationFailed([UserError("error.required", field="suspend_reason")])
    limits.refuse((reason, limits.TEXT, "suspend_reason"))
    return steps.step(db, actor, complaint_id, version, "suspend",
                 lambda tx, c, _n, at: {"resume_status": c["status"], "suspended_at": at,
                                        "suspend_reason": reason.strip()}, now, note=reason.strip())


@policy.guarded("complaints.resume")
def resume(db: Database, actor: Actor, complaint_id: int, version: int, now: datetime | None = None) -> dict:
    """The clock restarts: every due time not yet met moves by the (working) time suspended."""
    def change(tx, c, _new, at):
        cal = sla.calendar_for_branch(tx, c["branch_id"])
        paused = sla.working_time_between(c["suspended_at"], at, cal)
        out = {"resume_status": None, "suspended_at": None, "suspend_reason": None,
               "paused_minutes": float(c["paused_minutes"] or 0) + paused.total_seconds() / 60,
               "resolve_due_at": sla.shift(c["resolve_due_at"], paused, cal)}
        if c["first_response_at"] is None:
            out["first_response_due_at"] = sla.shift(c["first_response_due_at"], paused, cal)
        return out

    return steps.step(db, actor, complaint_id, version, "resume", change, now)


@policy.guarded("complaints.resolve")
def resolve(db: Database, actor: Actor, complaint_id: int, version: int, result: str,
            now: datetime | None = None, serious: bool = False) -> dict:
    """已处理: the result is recorded and the complaint revisit falls due (DOMAIN.md §3). A
    complaint marked serious dissatisfaction (严重不满意) also gets a separate revisit by the
    responsible department's manager (seed 002 4.2.3)."""
    if not (result or "").strip():
        raise ValidationFailed([UserError("error.required", field="result")])
    limits.refuse((result, limits.TEXT, "result"))

    def change(tx, c, _new, at):
        events.emit(tx, "complaint.resolved", by=actor.username, complaint=c, at=at, serious=serious)
        return {"resolved_at": at, "resolved_by": actor.username, "result": result.strip(),
                "first_response_at": c["first_response_at"] or at}

    return steps.step(db, actor, complaint_id, version, "resolve", change, now, note=result.strip()[:200])


@policy.guarded("complaints.close")
def close(db: Database, actor: Actor, complaint_id: int, version: int, *, confirmed_by: str = "",
          satisfied: bool = False, explanation: str = "", now: datetime | None = None) -> dict:
    """Closed only when the resident confirmed satisfaction (seed 004), or for an invalid
    complaint once the explanation given to the resident is recorded."""
    limits.refuse((confirmed_by, limits.NAME, "confirmed_by"), (explanation, limits.TEXT, "close_explanation"))

    def change(tx, c, _new, at):
        if c["validity"] == "invalid":
            if not (explanation or "").strip():
                raise ValidationFailed([UserError("complaint.error.explanation", field="close_explanation")])
        else:
            problems = []
            if not satisfied:
                problems.append(UserError("complaint.error.not_confirmed", field="close_satisfied"))
            if not (confirmed_by or "").strip():
                problems.append(UserError("error.required", field="confirmed_by"))
            if problems:
                raise ValidationFailed(problems)
        return {"closed_at": at, "closed_by": actor.username, "close_satisfied": bool(satisfied),
                "confirmed_by": (confirmed_by or "").strip() or None,
                "close_explanation": (explanation or "").strip() or None,
                "first_response_at": c["first_response_at"] or at}

    return steps.step(db, actor, complaint_id, version, "close", change, now)


@policy.guarded("complaints.reopen")
def reopen(db: Database, actor: Actor, complaint_id: int, version: int, reason: str,
           now: datetime | None = None) -> dict:
    if not (reason or "").strip():
        raise ValidationFailed([UserError("error.required", field="reopen_reason")])
    limits.refuse((reason, limits.TEXT, "reopen_reason"))
    return steps.step(db, actor, complaint_id, version, "reopen", steps.reopen_change, now, note=reason.strip())


@policy.guarded("complaints.escalate_overdue")
def escalate_overdue(db: Database, actor: Actor, now: datetime | None = None) -> int:
    """Escalates every complaint late for escalation (steps.escalate_all: the whole company, the
    actor's scope does not narrow it; recorded as the system) for a role that may. The serving
    process's timer (csm.ops.service) and `python -m csm escalate` call steps.escalate_all."""
    return steps.escalate_all(db, now or actor.now())


@policy.guarded("complaints.mark_read")
def mark_read(db: Database, actor: Actor, notice_id: int) -> None:
    """A notice of the actor's own inbox read (another user's notice is left as it is)."""
    db.transaction(lambda tx: tx.execute("complaints/notification_mark_read",
                                         {"id": notice_id, "user_id": actor.user_id}))
