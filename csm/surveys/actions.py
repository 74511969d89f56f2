"""Corrective actions (整改) (internal: see commands.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csm import audit, limits
from csm.actor import Actor
from csm.db import Tx
from csm.errors import ConflictError, PermissionDenied, UserError, ValidationFailed
from csm.surveys import rules


@dataclass
class ActionInput:
    wave_id: int | None
    project_id: int | None
    problem: str
    measure: str
    owner: str
    deadline: date | None
    item_key: str | None = None
    dimension: str | None = None


def insert_action(tx: Tx, actor: Actor, a: ActionInput) -> int:
    problems: list[UserError] = []
    wave = None
    if a.wave_id is None:
        problems.append(UserError("error.required", field="survey_wave"))
    else:
        wave = rules.visible_wave(tx, actor, a.wave_id)
    if a.project_id is None or a.project_id not in rules.allowed_projects(tx, actor):
        problems.append(UserError("survey.error.project_scope", field="project"))
    if not a.item_key and not a.dimension:
        problems.append(UserError("error.required", field="survey_subject"))
    elif wave is not None and a.item_key and a.item_key not in {
            i["item_key"] for i in rules.items_of(tx, wave["questionnaire_id"])}:
        problems.append(UserError("survey.error.unknown_item_field", field="survey_subject", item=a.item_key))
    for name in ("problem", "measure", "owner"):
        if not (getattr(a, name) or "").strip():
            problems.append(UserError("error.required", field=f"survey_action_{name}"))
    if a.deadline is None:
        problems.append(UserError("error.required", field="survey_action_deadline"))
    limits.check(problems, (a.problem, limits.TEXT, "survey_action_problem"),
                 (a.measure, limits.TEXT, "survey_action_measure"), (a.owner, limits.TITLE, "survey_action_owner"))
    if problems:
        raise ValidationFailed(problems)
    project = tx.one("org/project_get_for_scope", {"id": a.project_id})
    row = {"wave_id": a.wave_id, "project_id": a.project_id, "branch_id": project["branch_id"],
           "item_key": a.item_key or None, "dimension": None if a.item_key else a.dimension,
           "problem": a.problem.strip(), "measure": a.measure.strip(), "owner": a.owner.strip(),
           "deadline": a.deadline, "created_by": actor.username}
    action_id = tx.execute("surveys/action_insert", row)[0][0]
    audit.record(tx, actor.username, "create", "survey_action", action_id, None, row)
    return action_id


def change_action(tx: Tx, actor: Actor, action_id: int, expected_version: int, *, measure: str,
                  owner: str, deadline: date | None, result: str | None, status: str) -> None:
    """Status open -> done needs the result (published to residents, seed 000)."""
    before = tx.one("surveys/action", {"id": action_id, **actor.params()})
    if before is None:
        if tx.one("surveys/action", {"id": action_id, **rules.GROUP_PARAMS}) is not None:
            raise PermissionDenied()
        raise UserError("survey.error.action_not_found")
    problems: list[UserError] = []
    if status not in rules.ACTION_STATUSES:
        problems.append(UserError("error.required", field="survey_action_status"))
    if not (measure or "").strip():
        problems.append(UserError("error.required", field="survey_action_measure"))
    if not (owner or "").strip():
        problems.append(UserError("error.required", field="survey_action_owner"))
    if deadline is None:
        problems.append(UserError("error.required", field="survey_action_deadline"))
    if status == "done" and not (result or "").strip():
        problems.append(UserError("survey.error.result_needed", field="survey_action_result"))
    limits.check(problems, (measure, limits.TEXT, "survey_action_measure"), (owner, limits.TITLE, "survey_action_owner"),
                 (result, limits.TEXT, "survey_action_result"))
    if problems:
        raise ValidationFailed(problems)
    done_on = (before["done_on"] or actor.today()) if status == "done" else None
    after = {"measure": measure.strip(), "owner": owner.strip(), "deadline": deadline,
             "result": (result or "").strip() or None, "status": status, "done_on": done_on}
    if not tx.execute("surveys/action_update", {"id": action_id, "expected_version": expected_version, **after}):
        raise ConflictError()
    audit.record(tx, actor.username, "update", "survey_action", action_id, {k: before[k] for k in after}, after)
