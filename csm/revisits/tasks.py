"""Revisit tasks inside another transaction (internal, un-guarded): when a task falls due, opening
one, and who makes a serious-dissatisfaction revisit. csm/flows.py calls these for the events of
other capabilities (a resolved complaint, a low survey form); `by` is the acting username."""

from __future__ import annotations

from datetime import datetime

from csm import audit, sla
from csm.db import Tx
from csm.errors import UserError
from csm.revisits.rules import KINDS


def due_at(tx: Tx, kind: str, branch_id: int, event_at: datetime) -> datetime:
    """The revisit's due time: event + N days of the kind, on the complaints' clock."""
    setting = tx.one("revisits/kind_setting", {"kind": kind})
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
    project = tx.one("org/project_get_for_scope", {"id": project_id})
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
    task_id = tx.execute("revisits/task_insert", row)[0][0]
    audit.record(tx, actor, "create", "revisit_task", task_id, None, row)
    return task_id


def create_tasks(tx: Tx, actor: str | None, kind: str, event_at: datetime, tasks: list[dict]) -> list[int]:
    """Many tasks as create_task makes one (the same rows and audit rows), one statement each:
    the follow-ups of thousands of imported survey forms. Each task: project_id, unit_id,
    unit_text, contact_name, contact_phone, survey_response_id, note. Returns their ids in order."""
    import pandas as pd

    if not tasks:
        return []
    if kind not in KINDS:
        raise UserError("revisit.error.kind", field="kind")
    branch: dict[int, int] = {}
    for pid in sorted({int(t["project_id"]) for t in tasks}):
        project = tx.one("org/project_get_for_scope", {"id": pid})
        if project is None:
            raise UserError("error.required", field="project")
        branch[pid] = project["branch_id"]
    due = {b: due_at(tx, kind, b, event_at) for b in sorted(set(branch.values()))}
    ids = [int(r["id"]) for r in tx.rows("revisits/task_ids", {"n": len(tasks)})]
    rows = []
    for t in tasks:
        b = branch[int(t["project_id"])]
        rows.append({"kind": kind, "project_id": t["project_id"], "branch_id": b, "unit_id": t.get("unit_id"),
                     "unit_text": t.get("unit_text"), "contact_name": t.get("contact_name"),
                     "contact_phone": t.get("contact_phone"), "complaint_id": None, "service_record_id": None,
                     "survey_response_id": t.get("survey_response_id"), "resident_id": None, "parent_task_id": None,
                     "note": t.get("note"), "event_at": event_at, "due_at": due[b], "assignee_id": None})
    tx.load("revisits/tasks_load", pd.DataFrame([{"id": tid, **r} for tid, r in zip(ids, rows, strict=True)],
                                                 dtype=object))
    tx.execute("core/audit_insert_many", {
        "actor": [actor] * len(ids), "action": ["create"] * len(ids), "entity": ["revisit_task"] * len(ids),
        "entity_id": [str(i) for i in ids], "before": [None] * len(ids), "after": [audit.to_json(r) for r in rows]})
    return ids


def responsible_manager(tx: Tx, project_id: int) -> int | None:
    """Who makes a serious-dissatisfaction revisit (seed 002 4.2.3): the project's manager, else the
    branch manager (departments have no manager accounts of their own)."""
    project = tx.one("org/project_get_for_scope", {"id": project_id})
    if project is None:
        return None
    for level in ("project", "branch_manager"):
        for u in tx.rows("complaints/users_for_level", {"level": level, "project_id": project_id,
                                            "branch_id": project["branch_id"]}):
            if u["role"] == "manager":
                return u["id"]
    return None


def create_for_complaint(tx: Tx, actor: str | None, complaint: dict, resolved_at: datetime) -> int:
    """Exactly one open complaint revisit per complaint, due 3 days (setting) after resolving."""
    existing = tx.value("revisits/open_for_complaint", {"complaint_id": complaint["id"]})
    if existing:
        return existing
    return create_task(
        tx, actor, "complaint", complaint["project_id"], resolved_at,
        unit_id=complaint.get("unit_id"), unit_text=complaint.get("unit_text"),
        contact_name=complaint.get("complainant_name"),
        contact_phone=complaint.get("complainant_phone"), complaint_id=complaint["id"],
        note=complaint.get("code"),
    )
