"""Returned forms (问卷录入): the grid's rows and the import's as forms, each cell judged by the one
rating rule (rules.parse_rating), all-or-nothing saves, the low-score follow-up by event
("survey.follow_up", see csm/flows.py). Internal: see commands.py and self_service.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from csm import audit, events, limits, phones
from csm.db import Tx
from csm.errors import UserError, ValidationFailed
from csm.surveys import rules
from csm.surveys.waves import issued_and_returned


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

    cells = {i["item_key"]: rules.item_label(i) for i in items}
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


def validate_form(tx: Tx, wave: dict, items: list[dict], wave_projects: set[int],
                  allowed_projects: set[int], form: FormInput, today_: date,
                  seen_units: set, seen_form_nos: set, taken_units: set | None = None,
                  taken_form_nos: set | None = None) -> tuple[ParsedForm | None, list[UserError]]:
    """Each cell checked; a problem names its row and cell. seen_* catch repeats within one save.
    taken_* (optional): the (project id, unit) / (project id, form number) of the wave's forms
    already returned, read once by a bulk caller (the import), instead of a query per form."""
    from csm.i18n import t

    problems: list[UserError] = []
    texts = {i["item_key"]: rules.item_text(i) for i in items}
    unknown = [k for k in form.ratings if k not in texts]
    for k in unknown:
        problems.append(_problem(form, _cell(form, k, k), "survey.error.unknown_item", item=k))
    ratings: dict[str, int | None] = {}
    for key in texts:
        raw = form.ratings.get(key)
        try:
            ratings[key] = rules.parse_rating(raw)
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
    if phones.problem(form.respondent_phone) is not None:  # one phone rule for every form (csm/phones.py)
        problems.append(_problem(form, _cell(form, "respondent_phone", t("field.phone")), "phone.error.invalid",
                                 value=str(form.respondent_phone)))
    for key, value, limit, label in (("unit", form.unit_text, limits.UNIT, "field.unit"),
                                     ("form_no", form.form_no, limits.REF, "field.survey_form_no"),
                                     ("respondent_name", form.respondent_name, limits.NAME, "field.resident_name"),
                                     ("comments", form.comments, limits.TEXT, "field.survey_comments")):
        if isinstance(value, str) and len(value) > limit:
            problems.append(_problem(form, _cell(form, key, t(label)), "input.error.too_long",
                                     limit=f"{limit:,}", n=f"{len(value):,}"))
    unit = (form.unit_text or "").strip() or None
    form_no = (form.form_no or "").strip() or None
    if form.project_id in wave_projects:
        if unit:
            if (form.project_id, unit) in seen_units or (
                    (form.project_id, unit) in taken_units if taken_units is not None else tx.value(
                    "surveys/unit_answered", {"wave_id": wave["id"], "project_id": form.project_id,
                                             "unit_text": unit})):
                problems.append(_problem(form, _cell(form, "unit", t("field.unit")),
                                         "survey.error.unit_answered", unit=unit))
            seen_units.add((form.project_id, unit))
        if form_no:
            if (form.project_id, form_no) in seen_form_nos or (
                    (form.project_id, form_no) in taken_form_nos if taken_form_nos is not None else tx.value(
                    "surveys/form_no_used", {"wave_id": wave["id"], "project_id": form.project_id,
                                            "form_no": form_no})):
                problems.append(_problem(form, _cell(form, "form_no", t("field.survey_form_no")),
                                         "survey.error.form_no_used", form_no=form_no))
            seen_form_nos.add((form.project_id, form_no))
    if not problems and all(v is None for v in ratings.values()) and not (form.comments or "").strip():
        problems.append(_problem(form, _cell(form, "ratings", t("field.survey_ratings")),
                                 "survey.error.empty_form"))
    if problems:
        return None, problems
    return ParsedForm(form, ratings), []


def over_issued(tx: Tx, wave_id: int, new_forms: dict[int, int]) -> list[UserError]:
    """Forms returned never exceed the forms issued of their wave and project: a return rate over
    100% means one of the two counts is wrong, so the issued count is raised first (waves page)."""
    problems = []
    counts = issued_and_returned(tx, wave_id)
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


def needs_follow_up(n_unsatisfied, score, threshold: float) -> bool:
    """seed 000: every unsatisfied item of a returned form is revisited (one call per household
    covers all its items); seed 002 5.4.3: under the threshold (70 points) is followed up."""
    return bool(n_unsatisfied) or (score is not None and score < threshold)


def follow_up_note(unsatisfied: list[str], score) -> str:
    note = ("不满意：" + "、".join(unsatisfied) if unsatisfied else "")
    if score is not None:
        note = (note + "；" if note else "") + f"得分 {score:.0f}"
    return note[:200]


def insert_forms(tx: Tx, actor: str | None, wave: dict, items: list[dict], parsed: list[ParsedForm],
                 source: str, batch: str | None, now: datetime, today_: date, threshold: float,
                 progress=None) -> list[dict]:
    """Many forms saved as insert_form saves one — the same rows in survey_responses, survey_answers,
    survey_item_counts, the spent links, the score, the follow-up revisit and the audit row — with
    one statement per table (the import of thousands of forms). progress(fraction), if given."""
    import pandas as pd

    if not parsed:
        return []
    step = progress or (lambda _f: None)
    pids = sorted({p.source.project_id for p in parsed})
    branch = {pid: tx.one("org/project_get_for_scope", {"id": pid})["branch_id"] for pid in pids}
    units = {(r["project_id"], r["code"]): r["id"] for r in tx.rows("surveys/import_units", {"project_ids": pids})}
    ids = [int(r["id"]) for r in tx.rows("surveys/response_ids", {"n": len(parsed)})]
    rows = []
    for rid, p in zip(ids, parsed, strict=True):
        f = p.source
        unit_text = (f.unit_text or "").strip() or None
        rows.append({
            "id": rid, "wave_id": wave["id"], "project_id": f.project_id, "branch_id": branch[f.project_id],
            "form_no": (f.form_no or "").strip() or None,
            "unit_id": units.get((f.project_id, unit_text)) if unit_text else None,
            "unit_text": unit_text, "respondent_name": (f.respondent_name or "").strip() or None,
            "respondent_phone": phones.stored(str(f.respondent_phone) if f.respondent_phone else None) or None,
            "source": source, "token": None, "import_batch": batch,
            "returned_on": f.returned_on or today_, "comments": f.comments or None, "entered_by": actor,
        })
    frame = pd.DataFrame(rows, dtype=object)
    tx.load("surveys/responses_load", frame)
    step(0.2)
    spent = frame[frame["unit_id"].notna() | frame["unit_text"].notna()]
    if len(spent):  # each household's link is spent by its form: it is left off the QR sheet
        tx.load("surveys/tokens_use_load", pd.DataFrame({
            "wave_id": spent["wave_id"], "project_id": spent["project_id"], "unit_id": spent["unit_id"],
            "unit_text": spent["unit_text"], "response_id": spent["id"], "at": now}, dtype=object))
    keys = [i["item_key"] for i in items]
    tx.load("surveys/answers_load", pd.DataFrame({
        "response_id": [rid for rid in ids for _ in keys], "item_key": keys * len(ids),
        "rating": [p.ratings.get(k) for p in parsed for k in keys]}, dtype=object))
    step(0.4)
    tx.execute("surveys/counts_add_forms", {"response_ids": ids})
    scores = {int(r[0]): (r[1], r[2], r[3]) for r in tx.execute("surveys/responses_score_update", {"response_ids": ids})}
    step(0.6)
    low = [rid for rid in ids if needs_follow_up(scores[rid][1], scores[rid][2], threshold)]
    unsatisfied: dict[int, list[str]] = {}
    for r in tx.rows("surveys/unsatisfied_items_of_many", {"response_ids": low}) if low else []:
        unsatisfied.setdefault(int(r["response_id"]), []).append(r["text_zh"])
    by_id = {r["id"]: r for r in rows}
    task_ids = events.emit_one(tx, "survey.follow_ups", by=actor, at=now, tasks=[{
        "project_id": by_id[rid]["project_id"], "unit_id": by_id[rid]["unit_id"], "unit_text": by_id[rid]["unit_text"],
        "contact_name": by_id[rid]["respondent_name"], "contact_phone": by_id[rid]["respondent_phone"],
        "survey_response_id": rid, "note": follow_up_note(unsatisfied.get(rid, []), scores[rid][2])}
        for rid in low]) if low else []
    tasks = dict(zip(low, task_ids, strict=True))
    step(0.9)
    audit_rows = []
    out = []
    for rid, p in zip(ids, parsed, strict=True):
        row = {k: v for k, v in by_id[rid].items() if k != "id"}
        n_rated, n_unsatisfied, score = scores[rid]
        audit_rows.append({"actor": actor, "action": "create", "entity": "survey_response", "entity_id": str(rid),
                           "before": None, "after": audit.to_json({**row, "ratings": p.ratings, "score": score,
                                                                    "revisit_task_id": tasks.get(rid)})})
        out.append({"id": rid, "score": score, "n_rated": n_rated, "n_unsatisfied": n_unsatisfied,
                    "revisit_task_id": tasks.get(rid)})
    tx.execute("core/audit_insert_many", {name: [r[name] for r in audit_rows] for name in audit_rows[0]})
    step(1.0)
    return out


def insert_form(tx: Tx, actor: str | None, wave: dict, items: list[dict], parsed: ParsedForm,
                 source: str, batch: str | None, token: str | None, now: datetime,
                 today_: date, threshold: float) -> dict:
    f = parsed.source
    project = tx.one("org/project_get_for_scope", {"id": f.project_id})
    unit_text = (f.unit_text or "").strip() or None
    unit = tx.one("revisits/unit_by_code", {"project_id": f.project_id, "code": unit_text}) if unit_text else None
    row = {
        "wave_id": wave["id"], "project_id": f.project_id, "branch_id": project["branch_id"],
        "form_no": (f.form_no or "").strip() or None, "unit_id": unit["id"] if unit else None,
        "unit_text": unit_text, "respondent_name": (f.respondent_name or "").strip() or None,
        "respondent_phone": phones.stored(str(f.respondent_phone) if f.respondent_phone else None) or None,
        "source": source, "token": token, "import_batch": batch,
        "returned_on": f.returned_on or today_, "comments": f.comments or None, "entered_by": actor,
    }
    response_id = tx.execute("surveys/response_insert", row)[0][0]
    if token is None and (row["unit_id"] is not None or unit_text):
        # the household's link is spent by its paper form: it is left off the QR sheet
        tx.execute("surveys/token_use_for_unit", {"wave_id": wave["id"], "project_id": f.project_id,
                                                 "unit_id": row["unit_id"], "unit_text": unit_text,
                                                 "response_id": response_id, "at": now})
    keys = [i["item_key"] for i in items]
    ratings = [parsed.ratings.get(k) for k in keys]
    tx.execute("surveys/answers_insert", {"response_id": response_id, "item_keys": keys, "ratings": ratings})
    tx.execute("surveys/counts_add", {"wave_id": wave["id"], "project_id": f.project_id,
                                     "branch_id": project["branch_id"], "item_keys": keys, "ratings": ratings})
    n_rated, n_unsatisfied, score = tx.execute("surveys/response_score_update", {"id": response_id})[0]
    task_id = None
    if needs_follow_up(n_unsatisfied, score, threshold):
        unsatisfied = [r["text_zh"] for r in tx.rows("surveys/unsatisfied_items_of",
                                                     {"response_id": response_id})]
        task_id = events.emit_one(
            tx, "survey.follow_up", by=actor, project_id=f.project_id, at=now, unit_id=row["unit_id"], unit_text=unit_text,
            contact_name=row["respondent_name"], contact_phone=row["respondent_phone"],
            survey_response_id=response_id, note=follow_up_note(unsatisfied, score))
    audit.record(tx, actor, "create", "survey_response", response_id, None,
                 {**row, "ratings": parsed.ratings, "score": score, "revisit_task_id": task_id})
    return {"id": response_id, "score": score, "n_rated": n_rated, "n_unsatisfied": n_unsatisfied,
            "revisit_task_id": task_id}


def save_forms(tx: Tx, by: str | None, wave: dict, forms: list[FormInput], allowed_projects: set[int],
               today_: date, now: datetime, source: str = "paper", batch: str | None = None,
               token: str | None = None, parse_problems: list[UserError] | None = None,
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

    if source not in rules.SOURCES:
        raise ValueError(source)
    rules.check_wave_open(wave)
    wave_id = wave["id"]
    if batch and tx.value("surveys/import_batch_exists", {"import_batch": batch}):
        raise UserError("survey.import.duplicate_file")
    items = rules.items_of(tx, wave["questionnaire_id"])
    wave_projects = set(issued_and_returned(tx, wave_id))
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
        minimum = rules.min_answered_items(tx)
        few = incomplete_forms(parsed, items, minimum)
        if few:
            raise IncompleteForms(few, min(minimum, len(items)))
    threshold = rules.score_threshold(tx)
    saved = []
    for n, p in enumerate(parsed, start=1):
        saved.append(insert_form(tx, by, wave, items, p, source, batch, token, now, today_, threshold))
        report("save", n, len(parsed))
    return saved
