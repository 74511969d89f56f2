"""Questionnaire versions and the 100-point weights (internal: see commands.py)."""

from __future__ import annotations

import re

from csm import audit
from csm.db import Tx
from csm.errors import UserError, ValidationFailed

ITEM_KEY_RE = r"^[A-Za-z][A-Za-z0-9_]{1,31}$"


def validate_items(tx, items: list[dict]) -> list[UserError]:
    """A new version's items: keys stable and unique (trends follow them), a known dimension, texts."""
    problems: list[UserError] = []
    dimensions = {d["code"] for d in tx.rows("surveys/dimensions")}
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


def insert_version(tx: Tx, by: str, base_id: int, name: str, name_en: str, items: list[dict]) -> int:
    base = tx.one("surveys/questionnaire", {"id": base_id})
    if base is None:
        raise UserError("survey.q.error.base")
    problems = validate_items(tx, items)
    if not (name or "").strip():
        problems.insert(0, UserError("error.required", field="survey_q_name"))
    if problems:
        raise ValidationFailed(problems)
    version = tx.value("surveys/questionnaire_next_version", {"code": base["code"]})
    qid = tx.execute("surveys/questionnaire_insert", {
        "code": base["code"], "version": version, "name": name.strip(),
        "name_en": (name_en or "").strip() or base["name_en"], "created_by": by})[0][0]
    for n, it in enumerate(items, start=1):
        tx.execute("surveys/item_insert", {"questionnaire_id": qid, "item_key": it["item_key"].strip(),
                                           "dimension": it["dimension"], "text_zh": it["text_zh"].strip(),
                                           "text_en": it["text_en"].strip(), "sort": n})
    audit.record(tx, by, "create", "survey_questionnaire", qid, None,
                 {"code": base["code"], "version": version, "items": [i["item_key"] for i in items]})
    return qid


def check_weights(weights: dict[int, float]) -> None:
    """Each weight 0-100, better ratings never weigh less (default 100/80/60/0)."""
    problems = [UserError("survey.q.error.weight_range", rating=r) for r, w in weights.items()
                if w is None or not 0 <= float(w) <= 100]
    ordered = [float(weights[r]) for r in (4, 3, 2, 1) if r in weights and weights[r] is not None]
    if not problems and any(a < b for a, b in zip(ordered, ordered[1:], strict=False)):
        problems.append(UserError("survey.q.error.weight_order"))
    if problems:
        raise ValidationFailed(problems)


def write_weights(tx: Tx, by: str, weights: dict[int, float]) -> None:
    before = {r["rating"]: r["weight"] for r in tx.rows("surveys/weights")}
    for rating, weight in weights.items():
        tx.execute("surveys/weight_set", {"rating": rating, "weight": float(weight)})
    audit.record(tx, by, "update", "survey_weights", None, before, weights)
