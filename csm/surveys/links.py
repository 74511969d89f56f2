"""Self-service links: one unguessable token per household, the link sheet and the QR sheet
(internal: see commands.py, reads.py and self_service.py)."""

from __future__ import annotations

import secrets
from datetime import date

import pandas as pd

from csm import audit
from csm.db import Tx
from csm.errors import UserError
from csm.surveys import rules
from csm.surveys.waves import issued_and_returned


def add_tokens(tx: Tx, by: str, wave: dict, project_id: int) -> int:
    """One token per unit of the project that has none in this wave yet (the caller checked who)."""
    if wave["status"] == "closed":
        raise UserError("survey.error.closed")
    n = tx.value("surveys/units_without_token", {"wave_id": wave["id"], "project_id": project_id}) or 0
    if n == 0:
        return 0
    tokens = [secrets.token_urlsafe(12) for _ in range(n)]
    created = tx.execute("surveys/tokens_insert", {"wave_id": wave["id"], "project_id": project_id,
                                                   "tokens": tokens, "created_by": by})
    audit.record(tx, by, "create", "survey_tokens", f"{wave['id']}/{project_id}", None, {"count": len(created)})
    return len(created)


def links_frame(tokens: pd.DataFrame, base_url: str) -> pd.DataFrame:
    """unit_text, link, answered: answered by the link, or on paper / by import."""
    return pd.DataFrame({"unit_text": tokens["unit_text"],
                         "link": [rules.survey_link(base_url, tok) for tok in tokens["token"]],
                         "answered": tokens["answered"].astype(bool)})


def open_links(links: pd.DataFrame) -> list[tuple[str, str]]:
    """The (unit, link) rows of the households that have not answered: what the QR sheet prints."""
    return [(u, link) for u, link, done in zip(links["unit_text"], links["link"], links["answered"],
                                               strict=True) if not done]


def check_link_live(info: dict, today: date) -> None:
    """A link lives as long as its wave: refused once the wave is closed, or after its end date
    (ends_on is the last day answers are taken), in the resident's words."""
    if info["wave_status"] == "closed":
        raise UserError("survey.self.closed")
    if info["ends_on"] is not None and today > info["ends_on"]:
        raise UserError("survey.self.expired", end=info["ends_on"].isoformat())


def check_household_open(db_or_tx, info: dict) -> None:
    """Before the questions: the household answered on paper already, or the wave's forms for the
    project are all returned (returned = issued)."""
    if db_or_tx.value("surveys/household_answered", {"wave_id": info["wave_id"], "project_id": info["project_id"],
                                                     "unit_id": info["unit_id"], "unit_text": info["unit_text"]}):
        raise UserError("survey.self.household_answered")
    row = issued_and_returned(db_or_tx, info["wave_id"]).get(info["project_id"])
    if row is not None and int(row["returned"]) >= int(row["forms_issued"]):
        raise UserError("survey.self.full")
