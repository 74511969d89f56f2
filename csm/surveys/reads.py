"""Every query the survey screens show, named for what it answers (public face).

Each read takes `(db, actor, ...)`, is guarded by its policy name (csm/policy.py, surveys
section) and takes its scope from the actor: a page never hands in scope parameters or a set of
projects. A read of one record (a wave, a form) outside the actor's scope raises PermissionDenied.
"""

from __future__ import annotations

import pandas as pd

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import PermissionDenied
from csm.surveys import imports, links, rules
from csm.surveys.analysis import GROUPINGS


# ---- waves -----------------------------------------------------------------------------------------
@policy.guarded("surveys.waves")
def waves(db: Database, actor: Actor, with_drafts: bool = True) -> pd.DataFrame:
    """The waves the actor's scope takes part in or organises, newest first (forms issued and
    returned within the scope); without drafts for entry, analysis and actions."""
    frame = db.df("surveys/waves", actor.params())
    return frame if with_drafts else frame[frame["status"] != "draft"].reset_index(drop=True)


@policy.guarded("surveys.waves")
def wave(db: Database, actor: Actor, wave_id: int) -> dict:
    return rules.visible_wave(db, actor, int(wave_id))


@policy.guarded("surveys.waves")
def wave_projects(db: Database, actor: Actor, wave_id: int, workable: bool = False) -> pd.DataFrame:
    """The wave's projects within the scope: issued, returned, return rate, below the target;
    `workable`: only the active projects the actor may enter forms or actions for."""
    frame = db.df("surveys/wave_projects", {**actor.params(), "wave_id": int(wave_id),
                                            "target": rules.return_rate_target(db)})
    if workable:
        frame = frame[frame["project_id"].isin(rules.allowed_projects(db, actor))].reset_index(drop=True)
    return frame


@policy.guarded("surveys.waves")
def targets(db: Database, actor: Actor) -> dict:
    """The return-rate target (80%) and the score threshold (70 points) the figures use."""
    return {"return_rate": rules.return_rate_target(db), "score": rules.score_threshold(db)}


@policy.guarded("surveys.waves")
def wave_rights(db: Database, actor: Actor, wave_id: int) -> dict:
    """Whether approve_wave and close_wave would accept this actor on this wave: the same rules
    (rules.approve_refusal / rules.close_refusal) the commands apply, so a button shows exactly
    when its command would succeed."""
    w = rules.visible_wave(db, actor, int(wave_id))
    branch = rules.owner_branch(db, w)
    return {"approve": policy.allows(actor, "surveys.approve_wave")
            and rules.approve_refusal(actor, w, branch) is None,
            "close": policy.allows(actor, "surveys.close_wave") and rules.close_refusal(actor, w, branch) is None}


@policy.guarded("surveys.plan")
def plan_projects(db: Database, actor: Actor) -> pd.DataFrame:
    """Active projects the actor may survey, with their households (default forms issued)."""
    return db.df("surveys/projects_for_plan", actor.params())


# ---- questionnaires, items, weights -------------------------------------------------------------
@policy.guarded("surveys.questionnaires")
def questionnaires(db: Database, actor: Actor, active_only: bool = False) -> pd.DataFrame:
    frame = db.df("surveys/questionnaires")
    return frame[frame["status"] == "active"].reset_index(drop=True) if active_only else frame


@policy.guarded("surveys.questionnaires")
def questionnaire(db: Database, actor: Actor, questionnaire_id: int) -> dict | None:
    return db.one("surveys/questionnaire", {"id": int(questionnaire_id)})


@policy.guarded("surveys.items")
def items(db: Database, actor: Actor, questionnaire_id: int) -> list[dict]:
    """A questionnaire's items in form order, with their dimension."""
    return rules.items_of(db, int(questionnaire_id))


@policy.guarded("surveys.items")
def dimensions(db: Database, actor: Actor) -> pd.DataFrame:
    return db.df("surveys/dimensions")


@policy.guarded("surveys.weights")
def weights(db: Database, actor: Actor) -> pd.DataFrame:
    """The 100-point weights per rating."""
    return db.df("surveys/weights")


# ---- satisfaction (every level) -------------------------------------------------------------------
@policy.guarded("surveys.satisfaction")
def satisfaction(db: Database, actor: Actor, wave_id: int, group_by: str = "wave",
                 branch_id: int | None = None, project_id: int | None = None) -> pd.DataFrame:
    """The statistics table of a wave within the scope, one row per wave / branch / project /
    dimension / item (seed 002 4.1.5.2 via the survey_satisfaction macro)."""
    if group_by not in GROUPINGS:
        raise ValueError(group_by)
    return db.df("surveys/satisfaction", {**actor.params(), "wave_id": int(wave_id), "group_by": group_by,
                                          "branch_id": branch_id, "project_id": project_id})


# ---- entry -------------------------------------------------------------------------------------------
@policy.guarded("surveys.entry")
def recent_forms(db: Database, actor: Actor, wave_id: int, project_id: int, limit: int = 20) -> pd.DataFrame:
    """The forms of a project entered last in this wave (newest first)."""
    policy.require_project(db, actor, project_id)
    return db.df("surveys/responses", {**actor.params(), "wave_id": int(wave_id), "project_id": int(project_id),
                                       "limit": limit})


@policy.guarded("surveys.entry")
def template(db: Database, actor: Actor, wave_id: int, project_code: str) -> bytes:
    """The wave's Excel entry sheet for one project (items as columns, drop-down lists)."""
    w = rules.visible_wave(db, actor, int(wave_id))
    return imports.template_xlsx(db, w, [{"project_code": project_code}])


# ---- analysis ----------------------------------------------------------------------------------------
@policy.guarded("surveys.analysis")
def summary(db: Database, actor: Actor, wave_id: int) -> dict:
    """The headline figures of a wave within the scope (return rate, satisfaction, mean score…)."""
    return db.one("surveys/wave_summary", {**actor.params(), "wave_id": int(wave_id),
                                           "target": rules.return_rate_target(db),
                                           "threshold": rules.score_threshold(db)})


@policy.guarded("surveys.analysis")
def pareto(db: Database, actor: Actor, wave_id: int, project_id: int | None = None) -> pd.DataFrame:
    """排列图: 不满意 count per item, most first, with its share and the cumulative share."""
    return db.df("surveys/pareto", {**actor.params(), "wave_id": int(wave_id), "project_id": project_id})


@policy.guarded("surveys.analysis")
def item_project_matrix(db: Database, actor: Actor, wave_id: int, branch_id: int | None = None,
                        max_projects: int = 40) -> pd.DataFrame:
    """Item x project satisfaction of a wave (the heat map), at most max_projects projects."""
    return db.df("surveys/item_project_matrix", {**actor.params(), "wave_id": int(wave_id),
                                                 "branch_id": branch_id, "max_projects": max_projects})


@policy.guarded("surveys.analysis")
def trend(db: Database, actor: Actor, group_by: str = "all", project_ids: list[int] | None = None,
          item_key: str | None = None, dimension: str | None = None) -> pd.DataFrame:
    """Satisfaction per wave ('all', per 'branch' or per 'project'), optionally one item."""
    return db.df("surveys/trend", {**actor.params(), "group_by": group_by, "project_ids": project_ids or None,
                                   "item_key": item_key, "dimension": dimension})


@policy.guarded("surveys.analysis")
def low_scores(db: Database, actor: Actor, wave_id: int, limit: int = 200) -> pd.DataFrame:
    """Forms of the wave under the score threshold (seed 002 5.4.3), lowest first."""
    return db.df("surveys/low_scores", {**actor.params(), "wave_id": int(wave_id),
                                        "threshold": rules.score_threshold(db), "limit": limit})


@policy.guarded("surveys.analysis")
def forms_behind(db: Database, actor: Actor, wave_id: int, project_id: int | None = None,
                 item_key: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The forms behind a bar of the charts (newest first, at most limit): a project's bar of the
    return rates lists its returned forms; an item's bar of the Pareto lists the forms that rated
    the item 不满意 (of the project, when one is chosen)."""
    params = {**actor.params(), "wave_id": int(wave_id), "project_id": project_id, "limit": limit}
    if item_key:
        return db.df("surveys/responses_of_item", {**params, "item_key": item_key})
    return db.df("surveys/responses", params)


@policy.guarded("surveys.analysis")
def form(db: Database, actor: Actor, response_id: int) -> dict:
    """One returned form with its answers (`answers`, in form order) and its follow-up revisit."""
    params = {"id": int(response_id), **actor.params()}
    row = db.one("surveys/response", params)
    if row is None:
        raise PermissionDenied()
    return {**row, "answers": db.df("surveys/response_answers", params)}


# ---- self-service links ---------------------------------------------------------------------------
@policy.guarded("surveys.links")
def public_base_url(db: Database, actor: Actor) -> str | None:
    """The address residents reach the app at (setting public_base_url), if set."""
    return rules.public_base_url(db)


@policy.guarded("surveys.links")
def household_links(db: Database, actor: Actor, wave_id: int, project_id: int, base_url: str) -> pd.DataFrame:
    """The wave's household links of a project (unit_text, link, answered): the link sheet lists
    them all; the QR sheet prints open_links(...) of them."""
    rules.visible_wave(db, actor, int(wave_id))
    policy.require_project(db, actor, project_id)
    tokens = db.df("surveys/tokens", {"wave_id": int(wave_id), "project_id": int(project_id), **actor.params()})
    return links.links_frame(tokens, base_url)


# ---- corrective actions ---------------------------------------------------------------------------
@policy.guarded("surveys.actions")
def actions(db: Database, actor: Actor, wave_id: int | None = None, status: str | None = None) -> pd.DataFrame:
    """Corrective actions within the scope, overdue flagged, with the rate before and after."""
    return db.df("surveys/actions", {**actor.params(), "wave_id": wave_id, "status": status,
                                     "today": actor.today()})


@policy.guarded("surveys.actions")
def action_counts(db: Database, actor: Actor) -> dict:
    """How many actions are open, overdue and done within the scope."""
    return db.one("surveys/action_counts", {**actor.params(), "today": actor.today()})
