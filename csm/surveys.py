"""Satisfaction surveys (满意度调查): waves and their approval, form entry, self-service tokens,
the figures of the analysis page, and corrective actions (整改).

DOMAIN.md §4; seeds 000 (twice a year, 80% returned, every unsatisfied item revisited and
rectified), 002 4.1 (plans approved by company leaders for a group wave and by the department
manager for a local one; 4.1.5.2 the satisfaction formula; 5.4.3 under 70 points = a complaint),
003 (顾客意见调查表 / 调查统计表). The formula itself lives in SQL, in the macro
survey_satisfaction (queries/migrations/005_surveys.sql), which every figure uses.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from csm import audit, events
from csm.db import Database, Tx
from csm.errors import ConflictError, PermissionDenied, UserError, ValidationFailed

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


def now_utc() -> datetime:
    return datetime.now(UTC)


def today(db_or_tz: Database | str) -> date:
    tz = db_or_tz if isinstance(db_or_tz, str) else db_or_tz.timezone
    return datetime.now(ZoneInfo(tz)).date()


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
    value = db_or_tx.value("survey_setting_get", {"key": key})
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
    value = db_or_tx.value("setting_get", {"key": "public_base_url"})
    return (str(value).strip().rstrip("/") or None) if value else None


def survey_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/?survey_token={token}"


def items_of(db_or_tx, questionnaire_id: int) -> list[dict]:
    return db_or_tx.rows("survey_items_of", {"questionnaire_id": questionnaire_id})


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


# ---- questionnaire versions and the 100-point weights ------------------------------------------
ITEM_KEY_RE = r"^[A-Za-z][A-Za-z0-9_]{1,31}$"


def validate_items(tx, items: list[dict]) -> list[UserError]:
    """A new version's items: keys stable and unique (trends follow them), a known dimension, texts."""
    import re

    problems: list[UserError] = []
    dimensions = {d["code"] for d in tx.rows("survey_dimensions_list")}
    seen: dict[str, int] = {}
    if not items:
        problems.append(UserError("survey.q.error.no_items", field="survey_items"))
    for n, it in enumerate(items, start=1):
        key = (it.get("item_key") or "").strip()
        if not re.match(ITEM_KEY_RE, key):
            problems.append(UserError("survey.q.error.key", row=n, item=key))
        elif key in seen:
            problems.append(UserError("survey.q.error.duplicate_key", row=n, item=key, first=seen[key]))
        else:
            seen[key] = n
        if it.get("dimension") not in dimensions:
            problems.append(UserError("survey.q.error.dimension", row=n))
        if not (it.get("text_zh") or "").strip() or not (it.get("text_en") or "").strip():
            problems.append(UserError("survey.q.error.text", row=n))
    return problems


def new_questionnaire_version(db: Database, actor: str, base_id: int, name: str, name_en: str,
                              items: list[dict]) -> int:
    """A new version of a questionnaire family from edited items (waves keep the version they use)."""
    def work(tx: Tx) -> int:
        base = tx.one("survey_questionnaire_get", {"id": base_id})
        if base is None:
            raise UserError("survey.q.error.base")
        problems = validate_items(tx, items)
        if not (name or "").strip():
            problems.insert(0, UserError("error.required", field="survey_q_name"))
        if problems:
            raise ValidationFailed(problems)
        version = tx.value("survey_questionnaire_next_version", {"code": base["code"]})
        qid = tx.execute("survey_questionnaire_insert", {
            "code": base["code"], "version": version, "name": name.strip(),
            "name_en": (name_en or "").strip() or base["name_en"], "created_by": actor})[0][0]
        for n, it in enumerate(items, start=1):
            tx.execute("survey_item_insert", {"questionnaire_id": qid, "item_key": it["item_key"].strip(),
                                              "dimension": it["dimension"], "text_zh": it["text_zh"].strip(),
                                              "text_en": it["text_en"].strip(), "sort": n})
        audit.record(tx, actor, "create", "survey_questionnaire", qid, None,
                     {"code": base["code"], "version": version, "items": [i["item_key"] for i in items]})
        return qid

    return db.transaction(work)


def set_weights(db: Database, actor: str, weights: dict[int, float]) -> None:
    """The 100-point weights (default 100/80/60/0): each 0-100, better ratings never weigh less."""
    problems = [UserError("survey.q.error.weight_range", rating=r) for r, w in weights.items()
                if w is None or not 0 <= float(w) <= 100]
    ordered = [float(weights[r]) for r in (4, 3, 2, 1) if r in weights and weights[r] is not None]
    if not problems and any(a < b for a, b in zip(ordered, ordered[1:], strict=False)):
        problems.append(UserError("survey.q.error.weight_order"))
    if problems:
        raise ValidationFailed(problems)

    def work(tx: Tx) -> None:
        before = {r["rating"]: r["weight"] for r in tx.rows("survey_weights_list")}
        for rating, weight in weights.items():
            tx.execute("survey_weight_set", {"rating": rating, "weight": float(weight)})
        audit.record(tx, actor, "update", "survey_weights", None, before, weights)

    db.transaction(work)


# ---- waves (调查活动) ------------------------------------------------------------------------
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


def _wave_visible(tx: Tx, wave_id: int, scope_params: dict) -> dict:
    if not any(w["id"] == wave_id for w in tx.rows("survey_waves_list", scope_params)):
        raise UserError("survey.error.wave_not_found")
    return tx.one("survey_wave_get", {"id": wave_id})


def create_wave(db: Database, user: dict, plan: WavePlan, allowed_projects: set[int]) -> int:
    """A draft wave organised at the creator's level (group / branch / project); approve before use."""
    if user["role"] not in CREATOR_ROLES:
        raise PermissionDenied()

    def work(tx: Tx) -> int:
        problems: list[UserError] = []
        if not (plan.name or "").strip():
            problems.append(UserError("error.required", field="survey_wave_name"))
        if not (plan.purpose or "").strip():
            problems.append(UserError("error.required", field="survey_purpose"))
        questionnaires = {q["id"]: q for q in tx.rows("survey_questionnaires")}
        q = questionnaires.get(plan.questionnaire_id)
        if q is None or q["status"] != "active":
            problems.append(UserError("error.required", field="survey_questionnaire"))
        if plan.starts_on is None:
            problems.append(UserError("error.required", field="survey_starts_on"))
        if plan.ends_on is None:
            problems.append(UserError("error.required", field="survey_ends_on"))
        elif plan.starts_on and plan.ends_on < plan.starts_on:
            problems.append(UserError("survey.error.dates", field="survey_ends_on"))
        chosen = {p: n for p, n in plan.forms_issued.items() if n is not None}
        if not chosen:
            problems.append(UserError("survey.error.no_projects", field="project"))
        for pid, n in chosen.items():
            if pid not in allowed_projects:
                problems.append(UserError("survey.error.project_scope", field="project"))
            elif not isinstance(n, int) or n <= 0:
                name = tx.one("project_get_for_scope", {"id": pid})["name"]
                problems.append(UserError("survey.error.forms_issued", field="survey_forms_issued",
                                          project=name))
        if problems:
            raise ValidationFailed(problems)
        year = plan.starts_on.year
        prefix = f"DC-{year}-"
        code = f"{prefix}{(tx.value('survey_wave_count_with_prefix', {'prefix': prefix}) or 0) + 1:02d}"
        level = user["scope_kind"]
        row = {
            "code": code, "name": plan.name.strip(), "purpose": plan.purpose.strip(),
            "target": (plan.target or "").strip() or None, "questionnaire_id": plan.questionnaire_id,
            "level": level, "owner_branch_id": user["scope_id"] if level == "branch" else None,
            "owner_project_id": user["scope_id"] if level == "project" else None,
            "starts_on": plan.starts_on, "ends_on": plan.ends_on,
            "staff": (plan.staff or "").strip() or None, "created_by": user["username"],
        }
        wave_id = tx.execute("survey_wave_insert", row)[0][0]
        for pid, n in sorted(chosen.items()):
            project = tx.one("project_get_for_scope", {"id": pid})
            tx.execute("survey_wave_project_insert", {"wave_id": wave_id, "project_id": pid,
                                                      "branch_id": project["branch_id"],
                                                      "forms_issued": n})
        audit.record(tx, user["username"], "create", "survey_wave", wave_id, None,
                     {**row, "forms_issued": chosen})
        return wave_id

    return db.transaction(work)


def may_approve(user: dict, wave: dict, owner_branch_of_project: int | None = None) -> bool:
    """Seed 002 4.1.2.2: a group wave is approved by the company's leaders (head office); a
    branch or project wave by the manager of that branch / project (or head office). Never by the
    person who drew the plan up."""
    return user["username"] != wave["created_by"] and _manager_of(user, wave, owner_branch_of_project)


def _manager_of(user: dict, wave: dict, owner_branch_of_project: int | None) -> bool:
    if user["role"] == "head_office":
        return True
    if user["role"] != "manager" or wave["level"] == "group":
        return False
    if user["scope_kind"] == "group":
        return True
    if wave["level"] == "branch":
        return user["scope_kind"] == "branch" and user["scope_id"] == wave["owner_branch_id"]
    if user["scope_kind"] == "project":
        return user["scope_id"] == wave["owner_project_id"]
    return user["scope_kind"] == "branch" and user["scope_id"] == owner_branch_of_project


def _owner_branch(tx, wave: dict) -> int | None:
    if wave.get("owner_project_id"):
        project = tx.one("project_get_for_scope", {"id": wave["owner_project_id"]})
        return project["branch_id"] if project else None
    return None


def approve_wave(db: Database, user: dict, wave_id: int, expected_version: int,
                 scope_params: dict) -> None:
    def work(tx: Tx) -> None:
        wave = _wave_visible(tx, wave_id, scope_params)
        if wave["status"] != "draft":
            raise UserError("survey.error.not_draft")
        if user["username"] == wave["created_by"]:
            raise UserError("survey.error.own_plan")
        if not may_approve(user, wave, _owner_branch(tx, wave)):
            raise UserError("survey.error.approver_group" if wave["level"] == "group"
                            else "survey.error.approver_local")
        if not tx.execute("survey_wave_set_status", {"id": wave_id, "expected_version": expected_version,
                                                     "status": "approved", "actor": user["username"],
                                                     "at": now_utc()}):
            raise ConflictError()
        audit.record(tx, user["username"], "approve", "survey_wave", wave_id,
                     {"status": "draft"}, {"status": "approved"})

    db.transaction(work)


def close_wave(db: Database, user: dict, wave_id: int, expected_version: int,
               scope_params: dict) -> None:
    """After closing, the wave is read-only: no entry, import, self-service answer or change."""
    def work(tx: Tx) -> None:
        wave = _wave_visible(tx, wave_id, scope_params)
        if wave["status"] != "approved":
            raise UserError("survey.error.closed" if wave["status"] == "closed"
                            else "survey.error.not_approved")
        if not (user["username"] == wave["created_by"] or _manager_of(user, wave, _owner_branch(tx, wave))):
            raise PermissionDenied()
        if not tx.execute("survey_wave_set_status", {"id": wave_id, "expected_version": expected_version,
                                                     "status": "closed", "actor": user["username"],
                                                     "at": now_utc()}):
            raise ConflictError()
        audit.record(tx, user["username"], "close", "survey_wave", wave_id,
                     {"status": "approved"}, {"status": "closed"})

    db.transaction(work)


def set_forms_issued(db: Database, user: dict, wave_id: int, project_id: int, forms_issued: int,
                     scope_params: dict, allowed_projects: set[int]) -> None:
    def work(tx: Tx) -> None:
        wave = _wave_visible(tx, wave_id, scope_params)
        if wave["status"] == "closed":
            raise UserError("survey.error.closed")
        if project_id not in allowed_projects:
            raise UserError("survey.error.project_scope", field="project")
        if not isinstance(forms_issued, int) or forms_issued <= 0:
            name = tx.one("project_get_for_scope", {"id": project_id})["name"]
            raise UserError("survey.error.forms_issued", field="survey_forms_issued", project=name)
        now_in = _issued_and_returned(tx, wave_id).get(project_id)
        if now_in and forms_issued < now_in["returned"]:
            raise UserError("survey.error.issued_below_returned", field="survey_forms_issued",
                            project=now_in["project"], returned=now_in["returned"])
        if not tx.execute("survey_wave_project_set_issued", {"wave_id": wave_id, "project_id": project_id,
                                                             "forms_issued": forms_issued}):
            raise UserError("survey.error.project_not_in_wave", field="project")
        audit.record(tx, user["username"], "update", "survey_wave_project", f"{wave_id}/{project_id}",
                     None, {"forms_issued": forms_issued})

    db.transaction(work)


# ---- returned forms --------------------------------------------------------------------------
@dataclass
class FormInput:
    """One returned form as typed or read: ratings by item key, raw (1-4, words, blank)."""
    project_id: int | None
    ratings: dict[str, object]
    unit_text: str | None = None
    form_no: str | None = None
    respondent_name: str | None = None
    respondent_phone: str | None = None
    returned_on: date | None = None
    comments: str | None = None
    row: int | None = None                       # grid or spreadsheet row, for messages
    cells: dict[str, str] = field(default_factory=dict)   # item key / field -> cell name shown
    reported: set[str] = field(default_factory=set)       # fields whose problem is already reported


@dataclass
class ParsedForm:
    source: FormInput
    ratings: dict[str, int | None]


class IncompleteForms(ValidationFailed):
    """Forms with fewer rated items than the setting survey.min_answered_items: each named by its
    row; they are saved only when the save is repeated with confirm_incomplete=True."""

    def __init__(self, problems: list[UserError], minimum: int):
        super().__init__(problems)
        self.key = "survey.entry.incomplete"
        self.params = {"count": len(problems), "min": minimum}


def _blank(value) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    return isinstance(value, str) and not value.strip()


def _text_or_none(value) -> str | None:
    return None if _blank(value) else str(value).strip()


def grid_forms(records: list[dict], items: list[dict], project_id: int) -> list[FormInput]:
    """The entry grid's rows as forms (columns unit, form_no, the item keys, comments): each cell
    passed on as typed, so the rating rule (parse_rating) judges it; a row is named by its number on
    the grid and a cell by its item number and wording; empty lines are skipped."""
    from csm.i18n import t

    cells = {i["item_key"]: item_label(i) for i in items}
    cells |= {"unit": t("field.unit"), "form_no": t("field.survey_form_no")}
    forms = []
    for n, rec in enumerate(records, start=1):
        if all(_blank(v) for v in rec.values()):
            continue
        forms.append(FormInput(
            project_id=project_id,
            ratings={i["item_key"]: (None if _blank(rec.get(i["item_key"])) else rec.get(i["item_key"]))
                     for i in items},
            unit_text=_text_or_none(rec.get("unit")), form_no=_text_or_none(rec.get("form_no")),
            comments=_text_or_none(rec.get("comments")), row=n, cells=cells))
    return forms


def _cell(form: FormInput, key: str, default: str) -> str:
    return form.cells.get(key, default)


def _problem(form: FormInput, cell: str, key: str, **params) -> UserError:
    from csm.i18n import t

    problem = t(key, **params)
    if form.row is None:
        return UserError("survey.error.cell_no_row", cell=cell, problem=problem)
    return UserError("survey.error.cell", row=form.row, cell=cell, problem=problem)


def check_wave_open(wave: dict | None) -> None:
    if wave is None:
        raise UserError("survey.error.wave_not_found")
    if wave["status"] == "closed":
        raise UserError("survey.error.closed")
    if wave["status"] != "approved":
        raise UserError("survey.error.not_approved")


def validate_form(tx: Tx, wave: dict, items: list[dict], wave_projects: set[int],
                  allowed_projects: set[int], form: FormInput, today_: date,
                  seen_units: set, seen_form_nos: set) -> tuple[ParsedForm | None, list[UserError]]:
    """Each cell checked; a problem names its row and cell. seen_* catch repeats within one save."""
    from csm.i18n import t

    problems: list[UserError] = []
    texts = {i["item_key"]: item_text(i) for i in items}
    unknown = [k for k in form.ratings if k not in texts]
    for k in unknown:
        problems.append(_problem(form, _cell(form, k, k), "survey.error.unknown_item", item=k))
    ratings: dict[str, int | None] = {}
    for key in texts:
        raw = form.ratings.get(key)
        try:
            ratings[key] = parse_rating(raw)
        except ValueError:
            problems.append(_problem(form, _cell(form, key, texts[key]), "survey.error.bad_rating",
                                     value=str(raw)))
    if "project" in form.reported:
        pass
    elif form.project_id is None or form.project_id not in allowed_projects:
        problems.append(_problem(form, _cell(form, "project", t("field.project")),
                                 "survey.error.project_scope_short"))
    elif form.project_id not in wave_projects:
        problems.append(_problem(form, _cell(form, "project", t("field.project")),
                                 "survey.error.project_not_in_wave_short"))
    if form.returned_on is not None and form.returned_on > today_:
        problems.append(_problem(form, _cell(form, "returned_on", t("field.survey_returned_on")),
                                 "survey.error.future"))
    unit = (form.unit_text or "").strip() or None
    form_no = (form.form_no or "").strip() or None
    if form.project_id in wave_projects:
        if unit:
            if (form.project_id, unit) in seen_units or tx.value(
                    "survey_unit_answered", {"wave_id": wave["id"], "project_id": form.project_id,
                                             "unit_text": unit}):
                problems.append(_problem(form, _cell(form, "unit", t("field.unit")),
                                         "survey.error.unit_answered", unit=unit))
            seen_units.add((form.project_id, unit))
        if form_no:
            if (form.project_id, form_no) in seen_form_nos or tx.value(
                    "survey_form_no_used", {"wave_id": wave["id"], "project_id": form.project_id,
                                            "form_no": form_no}):
                problems.append(_problem(form, _cell(form, "form_no", t("field.survey_form_no")),
                                         "survey.error.form_no_used", form_no=form_no))
            seen_form_nos.add((form.project_id, form_no))
    if not problems and all(v is None for v in ratings.values()) and not (form.comments or "").strip():
        problems.append(_problem(form, _cell(form, "ratings", t("field.survey_ratings")),
                                 "survey.error.empty_form"))
    if problems:
        return None, problems
    return ParsedForm(form, ratings), []


def _issued_and_returned(tx: Tx, wave_id: int) -> dict[int, dict]:
    return {r["project_id"]: r for r in tx.rows("survey_wave_projects_list", {
        "wave_id": wave_id, "scope_kind": "group", "scope_id": -1, "target": 0.0})}


def over_issued(tx: Tx, wave_id: int, new_forms: dict[int, int]) -> list[UserError]:
    """Forms returned never exceed the forms issued of their wave and project: a return rate over
    100% means one of the two counts is wrong, so the issued count is raised first (waves page)."""
    problems = []
    counts = _issued_and_returned(tx, wave_id)
    for pid, n in sorted(new_forms.items()):
        r = counts.get(pid)
        if r is not None and n > 0 and int(r["returned"]) + n > int(r["forms_issued"]):
            problems.append(UserError("survey.error.over_issued", project=r["project"],
                                      issued=int(r["forms_issued"]), returned=int(r["returned"]), new=n,
                                      needed=int(r["returned"]) + n))
    return problems


def incomplete_forms(parsed: list[ParsedForm], items: list[dict], minimum: int) -> list[UserError]:
    """The forms with fewer rated items than the minimum (at most the questionnaire's length)."""
    from csm.i18n import t

    need = min(minimum, len(items))
    problems = []
    for p in parsed:
        n = sum(1 for v in p.ratings.values() if v is not None)
        if n < need:
            problems.append(_problem(p.source, _cell(p.source, "ratings", t("field.survey_ratings")),
                                     "survey.error.few_answers", n=n, total=len(items), min=need))
    return problems


def _insert_form(tx: Tx, actor: str | None, wave: dict, items: list[dict], parsed: ParsedForm,
                 source: str, batch: str | None, token: str | None, now: datetime,
                 today_: date, threshold: float) -> dict:
    f = parsed.source
    project = tx.one("project_get_for_scope", {"id": f.project_id})
    unit_text = (f.unit_text or "").strip() or None
    unit = tx.one("unit_by_code", {"project_id": f.project_id, "code": unit_text}) if unit_text else None
    row = {
        "wave_id": wave["id"], "project_id": f.project_id, "branch_id": project["branch_id"],
        "form_no": (f.form_no or "").strip() or None, "unit_id": unit["id"] if unit else None,
        "unit_text": unit_text, "respondent_name": (f.respondent_name or "").strip() or None,
        "respondent_phone": (str(f.respondent_phone).strip() if f.respondent_phone else None) or None,
        "source": source, "token": token, "import_batch": batch,
        "returned_on": f.returned_on or today_, "comments": f.comments or None, "entered_by": actor,
    }
    response_id = tx.execute("survey_response_insert", row)[0][0]
    if token is None and (row["unit_id"] is not None or unit_text):
        # the household's link is spent by its paper form: it is left off the QR sheet
        tx.execute("survey_token_use_for_unit", {"wave_id": wave["id"], "project_id": f.project_id,
                                                 "unit_id": row["unit_id"], "unit_text": unit_text,
                                                 "response_id": response_id, "at": now})
    keys = [i["item_key"] for i in items]
    ratings = [parsed.ratings.get(k) for k in keys]
    tx.execute("survey_answers_insert", {"response_id": response_id, "item_keys": keys, "ratings": ratings})
    tx.execute("survey_counts_add", {"wave_id": wave["id"], "project_id": f.project_id,
                                     "branch_id": project["branch_id"], "item_keys": keys, "ratings": ratings})
    n_rated, n_unsatisfied, score = tx.execute("survey_response_score_update", {"id": response_id})[0]
    task_id = None
    low = score is not None and score < threshold
    if n_unsatisfied or low:
        # seed 000: every unsatisfied item of a returned form is revisited (one call per household
        # covers all its items); seed 002 5.4.3: under 70 points is followed up like a complaint.
        unsatisfied = [r["text_zh"] for r in tx.rows("survey_unsatisfied_items_of",
                                                     {"response_id": response_id})]
        note = ("不满意：" + "、".join(unsatisfied) if unsatisfied else "")
        if score is not None:
            note = (note + "；" if note else "") + f"得分 {score:.0f}"
        task_id = events.emit_one(
            tx, "survey.follow_up", by=actor, project_id=f.project_id, at=now, unit_id=row["unit_id"], unit_text=unit_text,
            contact_name=row["respondent_name"], contact_phone=row["respondent_phone"],
            survey_response_id=response_id, note=note[:200])
    audit.record(tx, actor, "create", "survey_response", response_id, None,
                 {**row, "ratings": parsed.ratings, "score": score, "revisit_task_id": task_id})
    return {"id": response_id, "score": score, "n_rated": n_rated, "n_unsatisfied": n_unsatisfied,
            "revisit_task_id": task_id}


def enter_forms(db: Database, actor: str, wave_id: int, forms: list[FormInput],
                allowed_projects: set[int], source: str = "paper", batch: str | None = None,
                parse_problems: list[UserError] | None = None,
                confirm_incomplete: bool = False, progress=None) -> list[dict]:
    """Save returned forms, all or none: every problem of every row is reported and nothing is
    saved if there is one. Each form with an unsatisfied item or a score under the threshold gets
    its follow-up revisit task in the same transaction. A re-imported file (same hash) adds nothing.
    Refused when the forms would make a project's returned count exceed its issued count; forms
    with few rated items (setting survey.min_answered_items) raise IncompleteForms unless
    confirm_incomplete. progress(phase, done, total), if given, is told how far checking ("check")
    and saving ("save") are."""
    def report(phase: str, done: int, total: int) -> None:
        if progress and (done % 100 == 0 or done == total):
            progress(phase, done, total)

    if source not in SOURCES:
        raise ValueError(source)

    def work(tx: Tx) -> list[dict]:
        wave = tx.one("survey_wave_get", {"id": wave_id})
        check_wave_open(wave)
        if batch and tx.value("survey_import_batch_exists", {"import_batch": batch}):
            raise UserError("survey.import.duplicate_file")
        items = items_of(tx, wave["questionnaire_id"])
        wave_projects = {r["project_id"] for r in tx.rows(
            "survey_wave_projects_list", {"wave_id": wave_id, "scope_kind": "group", "scope_id": -1,
                                          "target": 0.0})}
        today_ = today(db)
        problems: list[UserError] = list(parse_problems or [])
        parsed: list[ParsedForm] = []
        seen_units: set = set()
        seen_nos: set = set()
        for n, form in enumerate(forms, start=1):
            report("check", n, len(forms))
            ok, errs = validate_form(tx, wave, items, wave_projects, allowed_projects, form, today_,
                                     seen_units, seen_nos)
            problems += errs
            if ok:
                parsed.append(ok)
        if problems:
            raise ValidationFailed(problems)
        if not parsed:
            raise UserError("survey.error.nothing_to_save")
        per_project: dict[int, int] = {}
        for p in parsed:
            per_project[p.source.project_id] = per_project.get(p.source.project_id, 0) + 1
        too_many = over_issued(tx, wave_id, per_project)
        if too_many:
            raise ValidationFailed(too_many)
        if not confirm_incomplete:
            minimum = min_answered_items(tx)
            few = incomplete_forms(parsed, items, minimum)
            if few:
                raise IncompleteForms(few, min(minimum, len(items)))
        now = now_utc()
        threshold = score_threshold(tx)
        saved = []
        for n, p in enumerate(parsed, start=1):
            saved.append(_insert_form(tx, actor, wave, items, p, source, batch, None, now, today_, threshold))
            report("save", n, len(parsed))
        return saved

    return db.transaction(work)


# ---- self-service (per-household token, no login) ----------------------------------------------
def create_tokens(db: Database, actor: str, wave_id: int, project_id: int, scope_params: dict,
                  allowed_projects: set[int]) -> int:
    """One unguessable token per unit of the project that has none in this wave yet."""
    def work(tx: Tx) -> int:
        wave = _wave_visible(tx, wave_id, scope_params)
        if wave["status"] == "closed":
            raise UserError("survey.error.closed")
        if project_id not in allowed_projects:
            raise UserError("survey.error.project_scope", field="project")
        n = tx.value("survey_units_without_token", {"wave_id": wave_id, "project_id": project_id}) or 0
        if n == 0:
            return 0
        tokens = [secrets.token_urlsafe(12) for _ in range(n)]
        created = tx.execute("survey_tokens_insert", {"wave_id": wave_id, "project_id": project_id,
                                                      "tokens": tokens, "created_by": actor})
        audit.record(tx, actor, "create", "survey_tokens", f"{wave_id}/{project_id}", None,
                     {"count": len(created)})
        return len(created)

    return db.transaction(work)


def household_links(db: Database, wave_id: int, project_id: int, scope_params: dict,
                    base_url: str) -> pd.DataFrame:
    """The wave's household links of a project (unit_text, link, answered): answered by the link,
    or on paper / by import. The link sheet lists them all; the QR sheet prints open_links."""
    tokens = db.df("survey_tokens_list", {"wave_id": wave_id, "project_id": project_id, **scope_params})
    return pd.DataFrame({"unit_text": tokens["unit_text"],
                         "link": [survey_link(base_url, tok) for tok in tokens["token"]],
                         "answered": tokens["answered"].astype(bool)})


def open_links(links: pd.DataFrame) -> list[tuple[str, str]]:
    """The (unit, link) rows of the households that have not answered: what the QR sheet prints."""
    return [(u, link) for u, link, done in zip(links["unit_text"], links["link"], links["answered"],
                                               strict=True) if not done]


def token_info(db: Database, token: str | None) -> dict:
    """The token's wave and household, or the refusal the resident sees."""
    info = db.one("survey_token_get", {"token": (token or "").strip()}) if token else None
    if info is None:
        raise UserError("survey.self.unknown_token")
    if info["used_at"] is not None:
        raise UserError("survey.self.already_answered" if info["response_source"] in (None, "self")
                        else "survey.self.household_answered")
    check_wave_open({"status": info["wave_status"]})
    _check_household_open(db, info)
    return info


def _check_household_open(db_or_tx, info: dict) -> None:
    """Before the questions: the household answered on paper already, or the wave's forms for the
    project are all returned (returned = issued)."""
    if db_or_tx.value("survey_household_answered", {"wave_id": info["wave_id"], "project_id": info["project_id"],
                                                    "unit_id": info["unit_id"], "unit_text": info["unit_text"]}):
        raise UserError("survey.self.household_answered")
    counts = db_or_tx.rows("survey_wave_projects_list", {"wave_id": info["wave_id"], "scope_kind": "group",
                                                         "scope_id": -1, "target": 0.0})
    row = next((r for r in counts if r["project_id"] == info["project_id"]), None)
    if row is not None and int(row["returned"]) >= int(row["forms_issued"]):
        raise UserError("survey.self.full")


def answer_by_token(db: Database, token: str, ratings: dict[str, object],
                    comments: str | None = None) -> dict:
    """A resident's own answer: accepted once per token; a second time is refused."""
    def work(tx: Tx) -> dict:
        info = tx.one("survey_token_get", {"token": (token or "").strip()})
        if info is None:
            raise UserError("survey.self.unknown_token")
        if info["used_at"] is not None:
            raise UserError("survey.self.already_answered")
        wave = tx.one("survey_wave_get", {"id": info["wave_id"]})
        check_wave_open(wave)
        _check_household_open(tx, info)
        items = items_of(tx, wave["questionnaire_id"])
        form = FormInput(project_id=info["project_id"], ratings=ratings, unit_text=info["unit_text"],
                         comments=(comments or "").strip() or None)
        today_ = today(db)
        ok, problems = validate_form(tx, wave, items, {info["project_id"]}, {info["project_id"]}, form,
                                     today_, set(), set())
        if problems:
            raise ValidationFailed(problems)
        now = now_utc()
        out = _insert_form(tx, None, wave, items, ok, "self", None, token, now, today_,
                           score_threshold(tx))
        if not tx.execute("survey_token_use", {"token": token, "response_id": out["id"], "at": now}):
            raise UserError("survey.self.already_answered")
        return out

    return db.transaction(work)


# ---- analysis (every rate from the SQL macros) ---------------------------------------------------
def summary(db: Database, scope_params: dict, wave_id: int) -> dict:
    return db.one("survey_wave_summary", {**scope_params, "wave_id": wave_id,
                                          "target": return_rate_target(db),
                                          "threshold": score_threshold(db)})


def satisfaction(db: Database, scope_params: dict, wave_id: int, group_by: str = "wave",
                 branch_id: int | None = None, project_id: int | None = None) -> pd.DataFrame:
    if group_by not in ("wave", "branch", "project", "dimension", "item"):
        raise ValueError(group_by)
    return db.df("survey_satisfaction", {**scope_params, "wave_id": wave_id, "group_by": group_by,
                                         "branch_id": branch_id, "project_id": project_id})


def statistics_table(table: pd.DataFrame) -> pd.DataFrame:
    """The statistics table (顾客意见调查统计表) as shown on the page and exported: rates as "80.0%"."""
    from csm import fmt

    return table.assign(satisfaction_rate=table["satisfaction_rate"].map(fmt.pct))


def statistics_xlsx(shown: pd.DataFrame, headers: dict[str, str]) -> bytes:
    """The statistics table as an Excel file, with the page's columns and figures."""
    from csm import excel

    return excel.frame_to_xlsx(shown, headers, "顾客意见调查统计表")


def forms_behind(db: Database, scope_params: dict, wave_id: int, project_id: int | None = None,
                 item_key: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The forms behind a bar of the charts (newest first, at most limit): a project's bar of the
    return rates lists its returned forms; an item's bar of the Pareto lists the forms that rated
    the item 不满意 (of the project, when one is chosen)."""
    query = "survey_responses_list_item" if item_key else "survey_responses_list"
    return db.df(query, {**scope_params, "wave_id": wave_id, "project_id": project_id, "item_key": item_key,
                         "limit": limit})


def return_rates(db: Database, scope_params: dict, wave_id: int) -> pd.DataFrame:
    return db.df("survey_wave_projects_list", {**scope_params, "wave_id": wave_id,
                                               "target": return_rate_target(db)})


# ---- corrective actions (整改) ---------------------------------------------------------------
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


def create_action(db: Database, actor: str, a: ActionInput, scope_params: dict,
                  allowed_projects: set[int]) -> int:
    def work(tx: Tx) -> int:
        problems: list[UserError] = []
        wave = None
        if a.wave_id is None:
            problems.append(UserError("error.required", field="survey_wave"))
        else:
            wave = _wave_visible(tx, a.wave_id, scope_params)
        if a.project_id is None or a.project_id not in allowed_projects:
            problems.append(UserError("survey.error.project_scope", field="project"))
        if not a.item_key and not a.dimension:
            problems.append(UserError("error.required", field="survey_subject"))
        elif wave is not None and a.item_key and a.item_key not in {
                i["item_key"] for i in items_of(tx, wave["questionnaire_id"])}:
            problems.append(UserError("survey.error.unknown_item_field", field="survey_subject",
                                      item=a.item_key))
        for name in ("problem", "measure", "owner"):
            if not (getattr(a, name) or "").strip():
                problems.append(UserError("error.required", field=f"survey_action_{name}"))
        if a.deadline is None:
            problems.append(UserError("error.required", field="survey_action_deadline"))
        if problems:
            raise ValidationFailed(problems)
        project = tx.one("project_get_for_scope", {"id": a.project_id})
        row = {"wave_id": a.wave_id, "project_id": a.project_id, "branch_id": project["branch_id"],
               "item_key": a.item_key or None, "dimension": None if a.item_key else a.dimension,
               "problem": a.problem.strip(), "measure": a.measure.strip(), "owner": a.owner.strip(),
               "deadline": a.deadline, "created_by": actor}
        action_id = tx.execute("survey_action_insert", row)[0][0]
        audit.record(tx, actor, "create", "survey_action", action_id, None, row)
        return action_id

    return db.transaction(work)


def update_action(db: Database, actor: str, action_id: int, expected_version: int, *, measure: str,
                  owner: str, deadline: date | None, result: str | None, status: str,
                  scope_params: dict) -> None:
    """Status open -> done needs the result (published to residents, seed 000)."""
    def work(tx: Tx) -> None:
        before = tx.one("survey_action_get", {"id": action_id, **scope_params})
        if before is None:
            raise UserError("survey.error.action_not_found")
        problems: list[UserError] = []
        if status not in ACTION_STATUSES:
            problems.append(UserError("error.required", field="survey_action_status"))
        if not (measure or "").strip():
            problems.append(UserError("error.required", field="survey_action_measure"))
        if not (owner or "").strip():
            problems.append(UserError("error.required", field="survey_action_owner"))
        if deadline is None:
            problems.append(UserError("error.required", field="survey_action_deadline"))
        if status == "done" and not (result or "").strip():
            problems.append(UserError("survey.error.result_needed", field="survey_action_result"))
        if problems:
            raise ValidationFailed(problems)
        done_on = (before["done_on"] or today(db)) if status == "done" else None
        after = {"measure": measure.strip(), "owner": owner.strip(), "deadline": deadline,
                 "result": (result or "").strip() or None, "status": status, "done_on": done_on}
        if not tx.execute("survey_action_update", {"id": action_id, "expected_version": expected_version,
                                                   **after}):
            raise ConflictError()
        audit.record(tx, actor, "update", "survey_action", action_id,
                     {k: before[k] for k in after}, after)

    db.transaction(work)


def actions(db: Database, scope_params: dict, wave_id: int | None = None,
            status: str | None = None) -> pd.DataFrame:
    return db.df("survey_actions_list", {**scope_params, "wave_id": wave_id, "status": status,
                                         "today": today(db)})
