"""The resident's own answer by a household link (?survey_token=...): the one survey path without
a logged-in user, so it is outside the role table (csm/policy.py) on purpose.

The token is the credential: it names one wave, one project and one household, and nothing else
can be read or written through it. `token_info` shows the questionnaire only for a valid, unused
token of an open wave whose household has not answered; `answer_by_token` checks the same again
inside its transaction and accepts one answer per token. A bad, used or closed token is refused
with the resident's message (UserError), never with data; a link expires with its wave (after
the wave's end date or once it is closed: links.check_link_live). pages/survey_self.py calls only these
two functions; its clock is the company's (db.timezone), as for every other actor.
"""

from __future__ import annotations

from csm.actor import Actor
from csm.db import Database, Tx
from csm.errors import UserError, ValidationFailed
from csm.org.scope import Scope
from csm.surveys import entry, links, rules

RESIDENT = "resident"  # the self-service answer has no user: entered_by stays empty


def _clock(db: Database) -> Actor:
    """Only the company clock of a resident (no role, no rights: it is never handed to a read)."""
    return Actor(None, RESIDENT, RESIDENT, Scope("group"), tz=db.timezone)


def _token(db_or_tx, token: str | None) -> dict:
    info = db_or_tx.one("surveys/token", {"token": (token or "").strip()}) if (token or "").strip() else None
    if info is None:
        raise UserError("survey.self.unknown_token")
    return info


def token_info(db: Database, token: str | None) -> dict:
    """The token's wave, household and the questionnaire's items (`items`), or the refusal the
    resident sees (unknown link, answered already, wave closed, all forms returned)."""
    info = _token(db, token)
    links.check_link_live(info, _clock(db).today())
    if info["used_at"] is not None:
        raise UserError("survey.self.already_answered" if info["response_source"] in (None, "self")
                        else "survey.self.household_answered")
    rules.check_wave_open({"status": info["wave_status"]})
    links.check_household_open(db, info)
    return {**info, "items": rules.items_of(db, info["questionnaire_id"])}


def answer_by_token(db: Database, token: str, ratings: dict[str, object], comments: str | None = None) -> dict:
    """A resident's own answer: accepted once per token; a second time is refused."""
    clock = _clock(db)

    def work(tx: Tx) -> dict:
        info = _token(tx, token)
        links.check_link_live(info, clock.today())
        if info["used_at"] is not None:
            raise UserError("survey.self.already_answered")
        wave = tx.one("surveys/wave", {"id": info["wave_id"]})
        rules.check_wave_open(wave)
        links.check_household_open(tx, info)
        items = rules.items_of(tx, wave["questionnaire_id"])
        form = entry.FormInput(project_id=info["project_id"], ratings=ratings, unit_text=info["unit_text"],
                               comments=(comments or "").strip() or None)
        today_ = clock.today()
        ok, problems = entry.validate_form(tx, wave, items, {info["project_id"]}, {info["project_id"]}, form,
                                           today_, set(), set())
        if problems:
            raise ValidationFailed(problems)
        now = clock.now()
        out = entry.insert_form(tx, None, wave, items, ok, "self", None, info["token"], now, today_,
                                rules.score_threshold(tx))
        if not tx.execute("surveys/token_use", {"token": info["token"], "response_id": out["id"], "at": now}):
            raise UserError("survey.self.already_answered")
        return out

    return db.transaction(work)
