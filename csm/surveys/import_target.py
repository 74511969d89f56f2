"""Paper survey forms under the one import mechanism (issue 11): a spreadsheet of returned forms —
the wave's template filled in, or another tool's export with its own headers and rating words —
through column mapping, value mapping (each rating word of the file to 很满意 / 满意 / 较满意 /
不满意 / 未表态), dry run, all-or-nothing apply, the import log and undo (csm/importing).

The rules are the entry grid's (csm/surveys/entry.py): each form is judged by entry.validate_form
(the one rating rule rules.parse_rating, the wave open, the project in the wave and in the actor's
scope, a household or form number once per wave, the phone rule, text limits), forms with fewer
rated items than survey.min_answered_items are rejected (the mechanism has no "save anyway"
step; the template import on 问卷录入 keeps its confirmation), returned never above issued, and
the forms are saved by entry.insert_forms (the bulk form of the grid's entry.insert_form, the same
rows) — answers, the counts table the analysis reads, scores and, for an unsatisfied item or a
score under the threshold, the follow-up revisits: an imported form is a form of an open wave,
analysed exactly like one typed in. A corrected file updates the forms this target brought
(_replace: counts, answers, fields, score, follow-up; the old values in import_records for the
undo); a form typed in by hand is never changed by an import (its row is rejected). A rating is never
changed silently: a file value not mapped to a rating rejects its row (line, column, reason).

Undo (docs/importing.md): refused while the wave is closed, while a corrective action was drawn
up on one of the batch's (wave, project) since the import, or while a follow-up revisit of one of
its forms was worked on; else the forms, their answers and counts go, the links they spent are
given back and their open follow-ups removed (event "survey.import_undone", csm/flows.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd

from csm import audit, events, limits, phones
from csm.errors import UserError
from csm.importing.target import Choice, Field, Outcome
from csm.surveys import entry, rules
from csm.surveys.waves import issued_and_returned

# The items of the standard questionnaire (migration 005; item keys are stable across versions):
# key, number on the form, wording zh, wording en — a column is suggested from any of them.
ITEMS: tuple[tuple[str, int, str, str], ...] = (
    ("cs_attitude", 1, "客服人员服务态度", "Attitude of customer-service staff"),
    ("cs_response", 2, "报事报修受理及响应及时性", "Taking requests and responding on time"),
    ("cs_complaint", 3, "投诉处理及结果反馈", "Handling of complaints and feedback"),
    ("cs_notice", 4, "社区公告及信息公开", "Notices and information to residents"),
    ("cs_reception", 5, "前台接待及办事效率", "Front desk and efficiency"),
    ("eng_speed", 6, "维修及时性", "Repairs done on time"),
    ("eng_quality", 7, "维修质量", "Quality of repairs"),
    ("eng_attitude", 8, "维修人员服务态度", "Attitude of repair staff"),
    ("eng_elevator", 9, "电梯运行及维护保养", "Lifts: operation and maintenance"),
    ("eng_facilities", 10, "公共设施设备维护（照明、门禁、水泵等）", "Shared equipment (lighting, access control, pumps)"),
    ("sec_patrol", 11, "治安巡逻及安全防范", "Patrols and security"),
    ("sec_gate", 12, "门岗出入管理及访客登记", "Gate control and visitor registration"),
    ("sec_parking", 13, "车辆停放及交通秩序", "Parking and traffic order"),
    ("sec_fire", 14, "消防安全管理", "Fire safety"),
    ("sec_manner", 15, "秩序维护员仪容仪表及礼节", "Appearance and manners of security staff"),
    ("cln_public", 16, "楼道、大堂等公共区域清洁", "Cleaning of stairs, lobbies and shared areas"),
    ("cln_garbage", 17, "垃圾收集清运及分类", "Refuse collection and sorting"),
    ("cln_outdoor", 18, "道路及室外场地清洁", "Cleaning of roads and outdoor areas"),
    ("cln_pest", 19, "消杀及四害防治", "Pest control"),
    ("lnd_care", 20, "绿化养护（修剪、浇水、施肥）", "Care of greenery (pruning, watering, feeding)"),
    ("lnd_landscape", 21, "绿化景观整体效果", "Overall look of the landscaping"),
    ("lnd_water", 22, "水景及景观设施维护", "Water features and garden facilities"),
    ("fee_open", 23, "收费标准公开透明", "Fees published and transparent"),
    ("fee_value", 24, "服务质价相符", "Service worth the fee"),
    ("fee_convenient", 25, "缴费方式便捷", "Convenient ways to pay"),
    ("paid_price", 26, "有偿服务价格合理", "Fair prices of paid services"),
    ("paid_quality", 27, "有偿服务质量", "Quality of paid services"),
    ("cul_activities", 28, "社区文化活动", "Community activities"),
    ("cul_atmosphere", 29, "邻里关系及社区氛围", "Neighbourhood atmosphere"),
    ("ovr_overall", 30, "对物业服务的总体评价", "Overall opinion of the property service"),
)
UNRATED = "unrated"
RATING_CHOICES = ("4", "3", "2", "1", UNRATED)

FORM_FIELDS: tuple[Field, ...] = (
    Field("wave", "field.survey_wave", "choice", required=True,
          aliases=("调查活动", "调查", "活动编号", "wave", "survey")),
    Field("project", "field.project", "choice", required=True, aliases=("项目编号", "项目", "project code", "project")),
    Field("unit", "field.unit", aliases=("房号", "房间号", "unit", "room"), max_chars=limits.UNIT),
    Field("form_no", "field.survey_form_no", aliases=("问卷编号", "form no", "form number"), max_chars=limits.REF),
    Field("respondent_name", "field.resident_name", aliases=("住户姓名", "姓名", "resident", "name"),
          max_chars=limits.NAME),
    Field("respondent_phone", "field.phone", aliases=("联系电话", "电话", "phone")),
    Field("returned_on", "field.survey_returned_on", "date", aliases=("回收日期", "日期", "returned on", "date")),
    Field("comments", "field.survey_comments", aliases=("意见和建议", "意见", "comments", "remarks"),
          max_chars=limits.TEXT),
)
ITEM_FIELDS: tuple[Field, ...] = tuple(
    Field(key, f"field.survey_item.{key}", "choice", aliases=(zh, en, f"{n:02d} {zh}", key))
    for key, n, zh, en in ITEMS)
FIELDS = FORM_FIELDS + ITEM_FIELDS
FIELD_KEYS = frozenset(f.key for f in FIELDS)
ITEM_KEYS = tuple(f.key for f in ITEM_FIELDS)
MARK = "batch:{}"  # survey_responses.import_batch of a form this target brought


class _Said(UserError):
    """A reason entry.validate_form already put into words (its cell names are field keys)."""

    def __init__(self, text: str):
        super().__init__("survey_import.reason")
        self.text = text

    def message(self) -> str:
        return self.text


def _reason(problem: UserError) -> tuple[str | None, UserError]:
    """entry's problem "<cell>：<problem>" as (field key, reason)."""
    cell, text = problem.params.get("cell"), problem.params.get("problem")
    if text is None:
        return None, problem
    return (cell if cell in FIELD_KEYS else None), _Said(str(text))


def _int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _rating(v) -> int | None:
    return None if v in (None, UNRATED) else int(v)


def _signature(ratings: dict[str, int | None]) -> list[str]:
    return sorted(f"{k}={'' if v is None else v}" for k, v in ratings.items())


FORM_COLUMNS = ("respondent_name", "respondent_phone", "returned_on", "comments")


def _kept(form: entry.FormInput, old: dict) -> entry.FormInput:
    """A corrected form: an empty cell (or a field without a column) keeps what the form has."""
    return replace(form, **{k: old[k] for k in FORM_COLUMNS if _blank(getattr(form, k)) and old[k] is not None})


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _fields(form: entry.FormInput) -> tuple:
    """The form's fields as insert_form stores them."""
    return ((form.respondent_name or "").strip() or None,
            phones.stored(str(form.respondent_phone) if form.respondent_phone else None) or None,
            form.returned_on, form.comments or None)


def _fields_of(old: dict) -> tuple:
    return tuple(old[k] for k in FORM_COLUMNS)


class SurveyForms:
    """Returned survey forms, one row per form, one column per item (see the module's docstring)."""

    name = "survey_forms"
    label = "targets.survey_forms"
    fields = FIELDS
    natural_key = ("wave", "project", "unit", "form_no")

    def choices(self, db, actor, field_key: str) -> list[Choice]:
        from csm.i18n import t

        if field_key == "wave":
            return [Choice(str(w["id"]), f"{w['code']} {w['name']}") for w in db.rows("surveys/waves", actor.params())
                    if w["status"] == "approved"]
        if field_key == "project":
            return [Choice(str(p["id"]), f"{p['code']} {p['name']}")
                    for p in db.rows("org/projects_in_scope", actor.params())]
        if field_key in ITEM_KEYS:
            # both languages in the label, so that 满意 and Satisfied are both suggested
            return [Choice(v, t("survey_import.rating_choice", zh=t(f"survey_import.rating.{v}", lang="zh"),
                                en=t(f"survey_import.rating.{v}", lang="en"))) for v in RATING_CHOICES]
        return []

    # ---- judging the rows --------------------------------------------------------------------
    def _prepare(self, tx, actor, rows: pd.DataFrame) -> tuple[list, list[Outcome]]:
        frame = rows.copy()
        for f in FIELDS:
            if f.key not in frame.columns:
                frame[f.key] = None
        allowed = rules.allowed_projects(tx, actor)
        today = actor.today()
        wave_ids = sorted({w for w in (_int(v) for v in frame["wave"].dropna()) if w is not None})
        waves: dict[int, dict | UserError] = {}
        for wid in wave_ids:
            try:
                wave = rules.visible_wave(tx, actor, wid)
                rules.check_wave_open(wave)
                waves[wid] = {"wave": wave, "items": rules.items_of(tx, wave["questionnaire_id"]),
                              "counts": issued_and_returned(tx, wid), "units": set(), "nos": set(), "new": {}}
            except UserError as exc:
                waves[wid] = exc
        existing: dict[tuple, dict] = {}
        taken: dict[int, tuple[set, set]] = {wid: (set(), set()) for wid in wave_ids}
        for r in tx.rows("surveys/import_existing", {"wave_ids": wave_ids}) if wave_ids else []:
            for n, (kind, value) in enumerate((("unit", r["unit_text"]), ("no", r["form_no"]))):
                if value:
                    existing.setdefault((r["wave_id"], r["project_id"], kind, value), r)
                    taken[r["wave_id"]][n].add((r["project_id"], value))
        minimum = rules.min_answered_items(tx)
        cells = {k: k for k in FIELD_KEYS} | {"ratings": "ratings"}
        prepared: list = []
        outcomes: list[Outcome] = []
        for raw in frame.to_dict("records"):
            line = int(raw["_line"])

            def reject(column, reason, line=line):
                outcomes.append(Outcome(line, "reject", column, reason))
                prepared.append(None)

            w = waves.get(_int(raw["wave"]))
            if not isinstance(w, dict):
                reject("wave", w if isinstance(w, UserError) else UserError("imports.error.required"))
                continue
            wave, items = w["wave"], w["items"]
            keys = {i["item_key"] for i in items}
            ratings = {k: _rating(raw[k]) for k in ITEM_KEYS if k in keys or raw[k] is not None}
            form = entry.FormInput(
                project_id=_int(raw["project"]), ratings=ratings, unit_text=raw["unit"], form_no=raw["form_no"],
                respondent_name=raw["respondent_name"], respondent_phone=raw["respondent_phone"],
                returned_on=raw["returned_on"], comments=raw["comments"], row=None, cells=cells)
            unit = (form.unit_text or "").strip() or None
            no = (form.form_no or "").strip() or None
            old = (existing.get((wave["id"], form.project_id, "unit", unit)) if unit else None) or (
                existing.get((wave["id"], form.project_id, "no", no)) if no else None)
            if old is not None and not (old["import_batch"] or "").startswith("batch:"):
                # a form typed in by hand (or by the template import on 问卷录入) is not overwritten
                reject("unit" if unit else "form_no", UserError("survey_import.error.typed_form", form=unit or no))
                continue
            mine = old is not None and old["unit_text"] == unit and old["form_no"] == no
            if mine:
                form = _kept(form, old)
                if (sorted(old["ratings"] or []) == _signature({k: ratings.get(k) for k in keys})
                        and _fields(form) == _fields_of(old)):
                    outcomes.append(Outcome(line, "same", record_id=old["id"]))  # the same form again
                    prepared.append(None)
                    continue
            units_taken, nos_taken = taken[wave["id"]]
            own = [(s_, (form.project_id, v)) for s_, v in ((units_taken, unit), (nos_taken, no)) if mine and v]
            for s_, k in own:  # a corrected form is judged without its own earlier version
                s_.discard(k)
            parsed, problems = entry.validate_form(tx, wave, items, set(w["counts"]), allowed, form, today,
                                                   w["units"], w["nos"], units_taken, nos_taken)
            for s_, k in own:
                s_.add(k)
            if problems:
                reject(*_reason(problems[0]))
                continue
            few = entry.incomplete_forms([parsed], items, minimum)
            if few:
                reject(*_reason(few[0]))
                continue
            if mine:
                outcomes.append(Outcome(line, "update", record_id=old["id"]))
                prepared.append((w, parsed, old))
                continue
            pid = form.project_id
            counts = w["counts"][pid]
            new = w["new"].get(pid, 0) + 1
            if int(counts["returned"]) + new > int(counts["forms_issued"]):
                reject("project", UserError("survey.error.over_issued", project=counts["project"],
                                            issued=int(counts["forms_issued"]), returned=int(counts["returned"]),
                                            new=new, needed=int(counts["returned"]) + new))
                continue
            w["new"][pid] = new
            outcomes.append(Outcome(line, "add"))
            prepared.append((w, parsed, None))
        return prepared, outcomes

    def plan(self, tx, actor, rows: pd.DataFrame) -> list[Outcome]:
        return self._prepare(tx, actor, rows)[1]

    def apply(self, tx, actor, rows: pd.DataFrame, outcomes: list[Outcome], batch_id: int,
              progress=None) -> None:
        """The added forms saved in bulk as the grid saves one (entry.insert_forms: the same rows as
        entry.insert_form); a corrected form's answers and fields replaced (_replace), what it had
        kept in import_records for the undo. progress(fraction)."""
        prepared, judged = self._prepare(tx, actor, rows)
        wanted = {o.line: o.action for o in outcomes if o.action in ("add", "update")}
        chosen = [p for p, o in zip(prepared, judged, strict=True) if o.action in ("add", "update")
                  and wanted.get(o.line) == o.action]
        threshold = rules.score_threshold(tx)
        now, today = actor.now(), actor.today()
        step = progress or (lambda _f: None)
        adds: dict[int, list] = {}
        for w, parsed, old in chosen:
            if old is None:
                adds.setdefault(w["wave"]["id"], []).append((w, parsed))
        total, done = max(len(chosen), 1), 0
        for group in adds.values():
            w, n = group[0][0], len(group)
            entry.insert_forms(tx, actor.username, w["wave"], w["items"], [p for _, p in group], "import",
                               MARK.format(batch_id), now, today, threshold,
                               progress=lambda f, d=done, n=n: step((d + f * n) / total))
            done += n
        records = []
        for w, parsed, old in chosen:
            if old is None:
                continue
            keys = [i["item_key"] for i in w["items"]]
            before = {"fields": {k: old[k] for k in FORM_COLUMNS}, "ratings": _ratings_of(old)}
            after = {"fields": dict(zip(FORM_COLUMNS, _fields(parsed.source), strict=True)),
                     "ratings": {k: parsed.ratings.get(k) for k in keys}}
            before["follow_up"] = _replace(tx, actor.username, old, after, threshold, now, refuse_worked=False)
            audit.record(tx, actor.username, "update", "survey_response", old["id"], before, after)
            records.append({"batch_id": batch_id, "kind": "survey_response", "record_id": int(old["id"]),
                            "action": "update", "before": audit.to_json(before)})
            done += 1
            if done % 100 == 0:
                step(done / total)
        if records:
            tx.load("importing/records_load", pd.DataFrame(records, columns=["batch_id", "kind", "record_id",
                                                                              "action", "before"]))
        step(1.0)

    def undo(self, tx, actor, batch_id: int) -> int:
        forms = tx.rows("surveys/import_batch_forms", {"import_batch": MARK.format(batch_id)})
        changed = [r for r in tx.rows("importing/records", {"batch_id": int(batch_id)})
                   if r["kind"] == "survey_response" and r["action"] == "update"]
        if not forms and not changed:
            return 0
        corrected = tx.rows("surveys/import_forms_by_id", {"ids": [int(r["record_id"]) for r in changed]}) \
            if changed else []
        closed = sorted({f["wave_code"] for f in forms + corrected if f["wave_status"] == "closed"})
        if closed:
            raise UserError("survey_import.error.undo_closed", waves="、".join(closed))
        batch = tx.one("importing/batch", {"id": int(batch_id)})
        ids = [int(f["id"]) for f in forms]
        actions = tx.value("surveys/import_actions_since", {
            "wave_ids": sorted({int(f["wave_id"]) for f in forms + corrected}),
            "project_ids": sorted({int(f["project_id"]) for f in forms + corrected}), "since": batch["created_at"]})
        if actions:
            raise UserError("survey_import.error.undo_actions", count=int(actions))
        threshold, now = rules.score_threshold(tx), actor.now()
        by_id = {int(f["id"]): f for f in corrected}
        for r in reversed(changed):  # a corrected form gets back what it had before the batch
            before = json.loads(r["before"])
            _replace(tx, actor.username, by_id[int(r["record_id"])], before, threshold, now, refuse_worked=True)
            audit.record(tx, actor.username, "update", "survey_response", int(r["record_id"]), None, before)
        if not ids:
            return len(changed)
        events.emit(tx, "survey.import_undone", by=actor.username, response_ids=ids)  # refuses if worked on
        params = {"response_ids": ids}
        tx.execute("surveys/import_counts_remove", params)
        tx.execute("surveys/import_undo_tokens", params)
        tx.execute("surveys/import_undo_answers", params)
        return len(tx.execute("surveys/import_undo_responses", params)) + len(changed)


def _ratings_of(old: dict) -> dict[str, int | None]:
    """import_existing's "item_key=rating" list as ratings by item."""
    out = {}
    for pair in old["ratings"] or []:
        k, _, v = pair.partition("=")
        out[k] = int(v) if v else None
    return out


def _replace(tx, by: str | None, form: dict, values: dict, threshold: float, now, refuse_worked: bool) -> dict:
    """One form's ratings and fields set to `values` ({"fields": …, "ratings": …}) with the counts
    table kept equal to the answers (its old ratings taken out, the new ones added), the score
    recomputed from the answers, and the follow-up revisit by the grid's rule: an open untouched one
    is replaced by one for the form as it is now (or removed when it no longer needs one); one
    already worked on stays as it is (for an undo: refuses it). Returns what it did to them."""
    rid = int(form["id"])
    ratings = values["ratings"]
    keys = sorted(ratings)
    tx.execute("surveys/import_counts_remove", {"response_ids": [rid]})
    tx.execute("surveys/import_answers_replace", {"response_id": rid, "item_keys": keys,
                                                  "ratings": [ratings[k] for k in keys]})
    tx.execute("surveys/counts_add_forms", {"response_ids": [rid]})
    tx.execute("surveys/import_form_update", {"id": rid, **values["fields"]})
    _, n_unsatisfied, score = tx.execute("surveys/response_score_update", {"id": rid})[0]
    tasks = events.emit_one(tx, "survey.follow_ups_of", response_ids=[rid]).get(rid, [])
    worked = [t["id"] for t in tasks if t["worked"]]
    if refuse_worked and worked:
        raise UserError("targets.error.undo_referred", count=len(worked))
    done: dict = {}
    untouched = [t["id"] for t in tasks if not t["worked"]]
    if untouched:  # its note names the old ratings: replaced by one for the form as it is now
        events.emit(tx, "survey.follow_up_withdrawn", by=by, task_ids=untouched)
        done["withdrawn"] = untouched
    if entry.needs_follow_up(n_unsatisfied, score, threshold) and not worked:
        unsatisfied = [r["text_zh"] for r in tx.rows("surveys/unsatisfied_items_of", {"response_id": rid})]
        fields = values["fields"]
        done["added"] = events.emit_one(
            tx, "survey.follow_up", by=by, project_id=int(form["project_id"]), at=now, unit_id=form["unit_id"],
            unit_text=form["unit_text"], contact_name=fields["respondent_name"],
            contact_phone=fields["respondent_phone"], survey_response_id=rid,
            note=entry.follow_up_note(unsatisfied, score))
    return done


TARGET = SurveyForms()
