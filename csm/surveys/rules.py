"""The rules of the survey capability that screens ask rather than repeat: the rating rule, the
settings (return-rate target, score threshold, minimum rated items), the item wording, and who
may approve or close a wave. Internal: pages reach them through reads / commands.

DOMAIN.md §4; seed 002 4.1.2.2 (approval), 4.1.3 B (ratings), 5.4.3 (under 70 points).
"""

from __future__ import annotations

import weakref

from csm.actor import Actor
from csm.errors import PermissionDenied, UserError

STATUSES = ("draft", "approved", "closed")
SOURCES = ("paper", "import", "self")
ACTION_STATUSES = ("open", "done", "cancelled")
RATINGS = (4, 3, 2, 1)  # 很满意 满意 较满意 不满意 (seed 002 4.1.3 B)
# What a clerk may type for a rating: the digit, the word on the form, a few common variants.
RATING_WORDS = {
    "4": 4, "很满意": 4, "非常满意": 4, "very satisfied": 4,
    "3": 3, "满意": 3, "satisfied": 3,
    "2": 2, "较满意": 2, "比较满意": 2, "基本满意": 2, "fairly satisfied": 2,
    "1": 1, "不满意": 1, "unsatisfied": 1,
}
UNRATED_WORDS = {"", "未表态", "-", "—", "/"}
CREATOR_ROLES = ("supervisor", "manager", "head_office")
DEFAULT_TARGET = 0.8
DEFAULT_THRESHOLD = 70.0
DEFAULT_MIN_ANSWERED = 15
GROUP_PARAMS = {"scope_kind": "group", "scope_id": -1}  # inside a command, after its scope check


def parse_rating(value) -> int | None:
    """A typed rating as 4..1, or None for unrated (blank, 未表态); ValueError when not a rating.

    The one rating rule: the entry grid, the Excel import and the resident's link all read ratings
    through it (the grid has no pattern of its own, so what it refuses is what this refuses)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if value != value:  # NaN from an empty spreadsheet cell
            return None
        if float(value).is_integer() and int(value) in RATINGS:
            return int(value)
        raise ValueError(value)
    text = str(value).strip().lower()
    if text in UNRATED_WORDS:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if text in RATING_WORDS:
        return RATING_WORDS[text]
    raise ValueError(value)


def setting(db_or_tx, key: str, default: float) -> float:
    value = db_or_tx.value("surveys/setting", {"key": key})
    return default if value is None else float(value)


def return_rate_target(db_or_tx) -> float:
    return setting(db_or_tx, "survey.return_rate_target", DEFAULT_TARGET)


def score_threshold(db_or_tx) -> float:
    return setting(db_or_tx, "survey.score_threshold", DEFAULT_THRESHOLD)


def min_answered_items(db_or_tx) -> int:
    """A form with fewer rated items than this is saved only once the user confirms."""
    return int(setting(db_or_tx, "survey.min_answered_items", DEFAULT_MIN_ANSWERED))


def public_base_url(db_or_tx) -> str | None:
    """The address residents reach the app at (setting public_base_url), without a trailing slash."""
    value = db_or_tx.value("core/setting_get", {"key": "public_base_url"})
    return (str(value).strip().rstrip("/") or None) if value else None


def survey_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/?survey_token={token}"


def items_of(db_or_tx, questionnaire_id: int) -> list[dict]:
    return db_or_tx.rows("surveys/items", {"questionnaire_id": questionnaire_id})


def item_text(item: dict, lang: str | None = None) -> str:
    """An item's wording in the user's language (the Chinese text when no English one is kept)."""
    from csm.i18n import current_lang

    if (lang or current_lang()) == "en" and item.get("text_en"):
        return item["text_en"]
    return item["text_zh"]


def item_label(item: dict, lang: str | None = None) -> str:
    """How an item is named in messages and charts: its number and wording, 01「客服人员服务态度」."""
    from csm.i18n import t

    return t("survey.item_label", n=f"{item['sort']:02d}", text=item_text(item, lang))


def check_wave_open(wave: dict | None) -> None:
    if wave is None:
        raise UserError("survey.error.wave_not_found")
    if wave["status"] == "closed":
        raise UserError("survey.error.closed")
    if wave["status"] != "approved":
        raise UserError("survey.error.not_approved")


# ---- scope ---------------------------------------------------------------------------------------
def allowed_projects(db_or_tx, actor: Actor) -> set[int]:
    """The projects the actor's scope holds (from the actor, never from a page)."""
    return {int(r["id"]) for r in db_or_tx.rows("org/projects_in_scope", actor.params())}


_VISIBLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # database -> {(version, scope, wave): wave}


def visible_wave(db_or_tx, actor: Actor, wave_id: int) -> dict:
    """The wave, if the actor's scope takes part in it or organises it; PermissionDenied if not.
    Outside a transaction the answer is kept until the next committed write (Database.version),
    since one screen asks it for each of its reads."""
    version = getattr(db_or_tx, "version", None)  # a Tx has none: always asked afresh
    if version is None:
        return _visible_wave(db_or_tx, actor, wave_id)
    known = _VISIBLE.setdefault(db_or_tx, {})
    key = (version, actor.scope, int(wave_id))
    if key not in known:
        if len(known) > 512:
            known.clear()
        known[key] = _visible_wave(db_or_tx, actor, wave_id)
    return dict(known[key])


def _visible_wave(db_or_tx, actor: Actor, wave_id: int) -> dict:
    wave = db_or_tx.one("surveys/wave", {"id": wave_id})
    if wave is None:
        raise UserError("survey.error.wave_not_found")
    if not db_or_tx.value("surveys/wave_visible", {"id": wave_id, **actor.params()}):
        raise PermissionDenied()
    return wave


def owner_branch(db_or_tx, wave: dict) -> int | None:
    """The branch of a project wave's owner project (a branch manager approves it)."""
    if wave.get("owner_project_id"):
        project = db_or_tx.one("org/project_get_for_scope", {"id": int(wave["owner_project_id"])})
        return project["branch_id"] if project else None
    return None


# ---- approval and closing (seed 002 4.1.2.2) -----------------------------------------------------
def manager_of(actor: Actor, wave: dict, owner_branch_of_project: int | None) -> bool:
    """Head office over every wave; a manager over a branch or project wave of their scope."""
    kind, sid = actor.scope.kind, actor.scope.id
    if actor.role == "head_office":
        return True
    if actor.role != "manager" or wave["level"] == "group":
        return False
    if kind == "group":
        return True
    if wave["level"] == "branch":
        return kind == "branch" and sid == wave["owner_branch_id"]
    if kind == "project":
        return sid == wave["owner_project_id"]
    return kind == "branch" and sid == owner_branch_of_project


def may_approve(actor: Actor, wave: dict, owner_branch_of_project: int | None = None) -> bool:
    """A group wave is approved by the company's leaders (head office); a branch or project wave
    by the manager of that branch / project (or head office). Never by who drew the plan up."""
    return actor.username != wave["created_by"] and manager_of(actor, wave, owner_branch_of_project)


def approve_refusal(actor: Actor, wave: dict, owner_branch_of_project: int | None) -> UserError | None:
    """Why approve_wave would refuse this actor this wave (None: it would approve it)."""
    if wave["status"] != "draft":
        return UserError("survey.error.not_draft")
    if actor.username == wave["created_by"]:
        return UserError("survey.error.own_plan")
    if not may_approve(actor, wave, owner_branch_of_project):
        return UserError("survey.error.approver_group" if wave["level"] == "group"
                         else "survey.error.approver_local")
    return None


def close_refusal(actor: Actor, wave: dict, owner_branch_of_project: int | None) -> UserError | None:
    """Why close_wave would refuse (None: it would close it): only an approved wave, closed by its
    author or a manager over it (manager_of). The waves page shows its button exactly when None."""
    if wave["status"] != "approved":
        return UserError("survey.error.closed" if wave["status"] == "closed" else "survey.error.not_approved")
    if not (actor.username == wave["created_by"] or manager_of(actor, wave, owner_branch_of_project)):
        return PermissionDenied()
    return None
