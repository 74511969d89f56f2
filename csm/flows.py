"""The reactions of one capability to another's events, in one place (see csm/events.py).

This module may import any capability package; no capability package imports another for
these reactions. Each handler runs inside the transaction of the event that caused it.
- a resolved complaint opens its revisit (and, if marked serious, a department manager's one);
- an unsatisfied revisit reopens its complaint, or files a new one for a repair/service/survey;
- a satisfied complaint revisit marks the complaint revisited;
- a survey form with unsatisfied items or a low score opens a survey revisit;
- an imported complaint ledger's revisits become done revisits (history: nothing reopens), and
  undoing the import takes them back.
"""

from __future__ import annotations

from datetime import datetime

from csm import complaints, events, revisits


@events.on("complaint.resolved")
def open_complaint_revisit(tx, *, by: str, complaint: dict, at: datetime, serious: bool) -> None:
    c = complaint
    revisits.create_for_complaint(tx, by, c, at)
    if serious:  # seed 002 4.2.3: serious dissatisfaction → the department manager revisits too
        dept = tx.value("complaints/department_name", {"id": c["department_id"]}) if c["department_id"] else None
        revisits.create_task(
            tx, by, "serious", c["project_id"], at,
            assignee_id=revisits.responsible_manager(tx, c["project_id"]), unit_id=c["unit_id"],
            unit_text=c["unit_text"], contact_name=c["complainant_name"],
            contact_phone=c["complainant_phone"], complaint_id=c["id"], resident_id=c["resident_id"],
            note=f"{c['code']} 严重不满意：由责任部门经理专访" + (f"（{dept}）" if dept else ""))


@events.on("revisit.unsatisfied")
def reopen_or_file(tx, *, by: str, task: dict, reason: str, record_id: int, at: datetime) -> dict:
    if task["complaint_id"]:
        complaints.reopen_from_revisit(tx, by, task["complaint_id"], reason, record_id)
        return {"reopened_complaint_id": task["complaint_id"], "new_complaint_id": None}
    return {"reopened_complaint_id": None,
            "new_complaint_id": complaints.file_from_revisit(tx, by, task, reason, at)}


@events.on("revisit.satisfied")
def mark_complaint_revisited(tx, *, by: str, task: dict, at: datetime) -> None:
    if task["complaint_id"] and task["kind"] == "complaint":
        complaints.mark_revisited(tx, by, task["complaint_id"], at)


@events.on("survey.follow_up")
def open_survey_revisit(tx, *, by: str | None, project_id: int, at: datetime, **task) -> int:
    return revisits.create_task(tx, by, "survey", project_id, at, **task)


@events.on("survey.follow_ups")
def open_survey_revisits(tx, *, by: str | None, at: datetime, tasks: list[dict]) -> list[int]:
    """The follow-ups of many survey forms at once (an import): as survey.follow_up, in bulk."""
    return revisits.create_tasks(tx, by, "survey", at, tasks)


# ---- imported history (issue 11, helper "targets") ----
@events.on("complaint.imported_revisits")
def record_imported_revisits(tx, *, by: str, batch_id: int, revisits) -> int:
    from csm.revisits import importer

    return importer.load_imported_revisits(tx, by, batch_id, revisits)


@events.on("complaint.import_undone")
def undo_imported_revisits(tx, *, by: str, batch_id: int) -> int:
    from csm.revisits import importer

    return importer.undo_imported_revisits(tx, batch_id)


# ---- import (issue 11: survey forms under the import mechanism) ----
@events.on("survey.import_undone")
def drop_survey_follow_ups(tx, *, by: str, response_ids: list[int]) -> int:
    """Undo of a survey-forms import: its forms' follow-up revisits go with them, unless one was
    already worked on (then the undo is refused)."""
    return revisits.drop_survey_follow_ups(tx, response_ids)


@events.on("survey.follow_ups_of")
def survey_follow_ups(tx, *, response_ids: list[int]) -> dict:
    """A corrected survey form (import): which follow-up revisits it has, and whether worked on."""
    return revisits.survey_follow_ups(tx, response_ids)


@events.on("survey.follow_up_withdrawn")
def withdraw_survey_follow_ups(tx, *, by: str | None, task_ids: list[int]) -> int:
    """A corrected survey form no longer needs its follow-up: removed while open and untouched."""
    return revisits.withdraw_survey_follow_ups(tx, task_ids)
