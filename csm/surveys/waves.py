"""Waves (调查活动): plan, approval, closing, forms issued (internal: see commands.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csm import audit, limits
from csm.actor import Actor
from csm.db import Tx
from csm.errors import ConflictError, UserError, ValidationFailed
from csm.surveys import rules


@dataclass
class WavePlan:
    name: str
    purpose: str
    questionnaire_id: int | None
    starts_on: date | None
    ends_on: date | None
    forms_issued: dict[int, int]            # project id -> forms issued (发放数量)
    target: str | None = None              # 调查对象
    staff: str | None = None               # 人员安排


def insert_wave(tx: Tx, actor: Actor, plan: WavePlan) -> int:
    """A draft wave organised at the creator's level (group / branch / project)."""
    allowed = rules.allowed_projects(tx, actor)
    problems: list[UserError] = []
    if not (plan.name or "").strip():
        problems.append(UserError("error.required", field="survey_wave_name"))
    if not (plan.purpose or "").strip():
        problems.append(UserError("error.required", field="survey_purpose"))
    questionnaires = {q["id"]: q for q in tx.rows("surveys/questionnaires")}
    q = questionnaires.get(plan.questionnaire_id)
    if q is None or q["status"] != "active":
        problems.append(UserError("error.required", field="survey_questionnaire"))
    if plan.starts_on is None:
        problems.append(UserError("error.required", field="survey_starts_on"))
    if plan.ends_on is None:
        problems.append(UserError("error.required", field="survey_ends_on"))
    elif plan.starts_on and plan.ends_on < plan.starts_on:
        problems.append(UserError("survey.error.dates", field="survey_ends_on"))
    limits.check(problems, (plan.name, limits.TITLE, "survey_wave_name"), (plan.purpose, limits.TEXT, "survey_purpose"),
                 (plan.target, limits.TEXT, "survey_target"), (plan.staff, limits.TEXT, "survey_staff"))
    chosen = {p: n for p, n in plan.forms_issued.items() if n is not None}
    if not chosen:
        problems.append(UserError("survey.error.no_projects", field="project"))
    for pid, n in chosen.items():
        if pid not in allowed:
            problems.append(UserError("survey.error.project_scope", field="project"))
        elif not isinstance(n, int) or n <= 0:
            name = tx.one("org/project_get_for_scope", {"id": pid})["name"]
            problems.append(UserError("survey.error.forms_issued", field="survey_forms_issued", project=name))
    if problems:
        raise ValidationFailed(problems)
    prefix = f"DC-{plan.starts_on.year}-"
    code = f"{prefix}{(tx.value('surveys/wave_count_with_prefix', {'prefix': prefix}) or 0) + 1:02d}"
    level = actor.scope.kind
    row = {
        "code": code, "name": plan.name.strip(), "purpose": plan.purpose.strip(),
        "target": (plan.target or "").strip() or None, "questionnaire_id": plan.questionnaire_id,
        "level": level, "owner_branch_id": actor.scope.id if level == "branch" else None,
        "owner_project_id": actor.scope.id if level == "project" else None,
        "starts_on": plan.starts_on, "ends_on": plan.ends_on,
        "staff": (plan.staff or "").strip() or None, "created_by": actor.username,
    }
    wave_id = tx.execute("surveys/wave_insert", row)[0][0]
    for pid, n in sorted(chosen.items()):
        project = tx.one("org/project_get_for_scope", {"id": pid})
        tx.execute("surveys/wave_project_insert", {"wave_id": wave_id, "project_id": pid,
                                                   "branch_id": project["branch_id"], "forms_issued": n})
    audit.record(tx, actor.username, "create", "survey_wave", wave_id, None, {**row, "forms_issued": chosen})
    return wave_id


def set_status(tx: Tx, actor: Actor, wave_id: int, expected_version: int, status: str, verb: str,
               before: str) -> None:
    if not tx.execute("surveys/wave_set_status", {"id": wave_id, "expected_version": expected_version,
                                                  "status": status, "actor": actor.username,
                                                  "at": actor.now()}):
        raise ConflictError()
    audit.record(tx, actor.username, verb, "survey_wave", wave_id, {"status": before}, {"status": status})


def issued_and_returned(tx, wave_id: int) -> dict[int, dict]:
    return {r["project_id"]: r for r in tx.rows("surveys/wave_projects", {
        "wave_id": wave_id, **rules.GROUP_PARAMS, "target": 0.0})}


def update_issued(tx: Tx, actor: Actor, wave: dict, project_id: int, forms_issued: int) -> None:
    wave_id = wave["id"]
    if wave["status"] == "closed":
        raise UserError("survey.error.closed")
    if project_id not in rules.allowed_projects(tx, actor):
        raise UserError("survey.error.project_scope", field="project")
    if not isinstance(forms_issued, int) or forms_issued <= 0:
        name = tx.one("org/project_get_for_scope", {"id": project_id})["name"]
        raise UserError("survey.error.forms_issued", field="survey_forms_issued", project=name)
    now_in = issued_and_returned(tx, wave_id).get(project_id)
    if now_in and forms_issued < now_in["returned"]:
        raise UserError("survey.error.issued_below_returned", field="survey_forms_issued",
                        project=now_in["project"], returned=now_in["returned"])
    if not tx.execute("surveys/wave_project_set_issued", {"wave_id": wave_id, "project_id": project_id,
                                                          "forms_issued": forms_issued}):
        raise UserError("survey.error.project_not_in_wave", field="project")
    audit.record(tx, actor.username, "update", "survey_wave_project", f"{wave_id}/{project_id}",
                 None, {"forms_issued": forms_issued})
