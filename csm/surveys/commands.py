"""Every write the survey screens run (public face): `fn(db, actor, ...)`, guarded by its policy
name (csm/policy.py, surveys section); validate, one transaction, audit with actor.username.

Scope comes from the actor: a wave outside it, or a record of a project outside it, is refused
with PermissionDenied; a form or plan naming a project outside it is reported with the other
problems of the save. The resident's answer by link has no user: see self_service.py.
"""

from __future__ import annotations

from csm import excel, policy
from csm.actor import Actor
from csm.db import Database, Tx
from csm.errors import UserError
from csm.surveys import actions as _actions
from csm.surveys import entry, imports, links, questionnaires, rules, waves
from csm.surveys.actions import ActionInput
from csm.surveys.entry import FormInput
from csm.surveys.waves import WavePlan

__all__ = ["ActionInput", "FormInput", "WavePlan"]


# ---- questionnaires and weights (head office) ----------------------------------------------------
@policy.guarded("surveys.new_questionnaire_version")
def new_questionnaire_version(db: Database, actor: Actor, base_id: int, name: str, name_en: str,
                              items: list[dict]) -> int:
    """A new version of a questionnaire family from edited items (waves keep the version they use)."""
    return db.transaction(lambda tx: questionnaires.insert_version(tx, actor.username, int(base_id), name,
                                                                    name_en, items))


@policy.guarded("surveys.set_weights")
def set_weights(db: Database, actor: Actor, weights: dict[int, float]) -> None:
    """The 100-point weights (default 100/80/60/0): each 0-100, better ratings never weigh less."""
    questionnaires.check_weights(weights)
    db.transaction(lambda tx: questionnaires.write_weights(tx, actor.username, weights))


# ---- waves ---------------------------------------------------------------------------------------
@policy.guarded("surveys.create_wave")
def create_wave(db: Database, actor: Actor, plan: WavePlan) -> int:
    """A draft wave organised at the creator's level (group / branch / project); approve before use."""
    return db.transaction(lambda tx: waves.insert_wave(tx, actor, plan))


@policy.guarded("surveys.approve_wave")
def approve_wave(db: Database, actor: Actor, wave_id: int, expected_version: int) -> None:
    """Seed 002 4.1.2.2 (rules.approve_refusal): never by the plan's author."""
    def work(tx: Tx) -> None:
        wave = rules.visible_wave(tx, actor, int(wave_id))
        refusal = rules.approve_refusal(actor, wave, rules.owner_branch(tx, wave))
        if refusal is not None:
            raise refusal
        waves.set_status(tx, actor, int(wave_id), expected_version, "approved", "approve", "draft")

    db.transaction(work)


@policy.guarded("surveys.close_wave")
def close_wave(db: Database, actor: Actor, wave_id: int, expected_version: int) -> None:
    """After closing, the wave is read-only: no entry, import, self-service answer or change.
    Who may close: rules.close_refusal (reads.wave_rights asks the same rule for the button)."""
    def work(tx: Tx) -> None:
        wave = rules.visible_wave(tx, actor, int(wave_id))
        refusal = rules.close_refusal(actor, wave, rules.owner_branch(tx, wave))
        if refusal is not None:
            raise refusal
        waves.set_status(tx, actor, int(wave_id), expected_version, "closed", "close", "approved")

    db.transaction(work)


@policy.guarded("surveys.set_forms_issued")
def set_forms_issued(db: Database, actor: Actor, wave_id: int, project_id: int, forms_issued: int) -> None:
    def work(tx: Tx) -> None:
        wave = rules.visible_wave(tx, actor, int(wave_id))
        waves.update_issued(tx, actor, wave, int(project_id), forms_issued)

    db.transaction(work)


# ---- returned forms ------------------------------------------------------------------------------
@policy.guarded("surveys.enter_forms")
def enter_forms(db: Database, actor: Actor, wave_id: int, forms: list[FormInput],
                confirm_incomplete: bool = False, progress=None) -> list[dict]:
    """Paper forms typed on the grid (entry.grid_forms), all or none (entry.save_forms)."""
    def work(tx: Tx) -> list[dict]:
        wave = rules.visible_wave(tx, actor, int(wave_id))
        return entry.save_forms(tx, actor.username, wave, forms, rules.allowed_projects(tx, actor),
                                actor.today(), actor.now(), confirm_incomplete=confirm_incomplete,
                                progress=progress)

    return db.transaction(work)


@policy.guarded("surveys.import_forms")
def import_forms(db: Database, actor: Actor, wave_id: int, data: bytes, filename: str,
                 confirm_incomplete: bool = False, progress=None) -> excel.Imported:
    """The filled template, all rows or none; a file already imported (same content) adds nothing.
    The rules of the grid apply (rules.parse_rating, returned never above issued, forms with few
    ratings only once confirmed: entry.IncompleteForms otherwise). Returns the saved forms (with
    .samples: the template sample rows skipped). progress(phase, done, total) is called while
    reading ("read"), checking ("check") and saving ("save")."""
    wave = rules.visible_wave(db, actor, int(wave_id))
    rules.check_wave_open(wave)
    allowed = rules.allowed_projects(db, actor)
    codes = {r["project_code"]: int(r["project_id"]) for r in waves.issued_and_returned(db, int(wave_id)).values()
             if int(r["project_id"]) in allowed}
    forms, problems, samples = imports.parse(db, wave, data, filename, codes, progress=progress)

    def work(tx: Tx) -> list[dict]:
        fresh = rules.visible_wave(tx, actor, int(wave_id))
        return entry.save_forms(tx, actor.username, fresh, forms, rules.allowed_projects(tx, actor),
                                actor.today(), actor.now(), source="import", batch=imports.file_hash(data),
                                parse_problems=problems, confirm_incomplete=confirm_incomplete,
                                progress=progress)

    return excel.Imported(db.transaction(work), samples)


# ---- self-service links ----------------------------------------------------------------------------
@policy.guarded("surveys.create_tokens")
def create_tokens(db: Database, actor: Actor, wave_id: int, project_id: int) -> int:
    """One unguessable token per unit of the project that has none in this wave yet."""
    def work(tx: Tx) -> int:
        wave = rules.visible_wave(tx, actor, int(wave_id))
        if wave["status"] == "closed":
            raise UserError("survey.error.closed")
        if int(project_id) not in rules.allowed_projects(tx, actor):
            raise UserError("survey.error.project_scope", field="project")
        return links.add_tokens(tx, actor.username, wave, int(project_id))

    return db.transaction(work)


# ---- corrective actions ----------------------------------------------------------------------------
@policy.guarded("surveys.create_action")
def create_action(db: Database, actor: Actor, a: ActionInput) -> int:
    return db.transaction(lambda tx: _actions.insert_action(tx, actor, a))


@policy.guarded("surveys.update_action")
def update_action(db: Database, actor: Actor, action_id: int, expected_version: int, *, measure: str,
                  owner: str, deadline, result: str | None, status: str) -> None:
    """Status open -> done needs the result (published to residents, seed 000)."""
    db.transaction(lambda tx: _actions.change_action(tx, actor, int(action_id), expected_version,
                                                     measure=measure, owner=owner, deadline=deadline,
                                                     result=result, status=status))
