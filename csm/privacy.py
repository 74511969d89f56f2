"""What head office may not see of a resident (issue 10: "residents' names and phone numbers are
never shown at group scope, in the page or its exports").

A viewer at group scope (head office; the scheduler's group exports) gets no resident's name or
phone and no unit number a resident typed: the columns that carry them are left out of every
export, and free text typed at the desk (a complaint's summary, an action's problem, a judgement's
basis) has its digits masked, because a resident's words often carry "3栋2单元501" or a mobile
number. Units from the organisation's own register (a residents list's unit code) are not
resident-typed and stay. Shared below the capabilities (no capability imported).
"""

from __future__ import annotations

import re

DIGITS = re.compile(r"[0-9０-９]+")
MASK = "＊"

# export columns that carry a resident's name, phone or typed unit (left out at group scope)
RESIDENT_COLUMNS = frozenset({
    "complainant_name", "complainant_phone", "phone", "unit_text", "contact_name", "contact_phone",
    "resident_name", "resident_phone", "respondent_name",
})
# export columns of free text typed at the desk or by a resident (digits masked at group scope)
FREE_TEXT_COLUMNS = frozenset({"summary", "description", "problem", "measure", "validity_basis", "comment", "comments",
                               "result"})


def group_view(actor) -> bool:
    """True when the viewer is head office (group scope): no resident details may reach them."""
    return getattr(getattr(actor, "scope", None), "kind", None) == "group"


def redact(text):
    """Free text with every run of digits (ASCII or full width) replaced by ＊: no unit number or
    phone survives; None and non-text pass through."""
    if not isinstance(text, str):
        return text
    return DIGITS.sub(MASK, text)


def redact_column(values):
    """redact() of every value of a pandas column in one pass (the same pattern and mask): head
    office's service list redacts 12,000 descriptions per read."""
    texts = values.map(type).eq(str)
    return values.where(~texts, values[texts].str.replace(DIGITS, MASK, regex=True))


def redact_rows(rows: list[dict], fields) -> list[dict]:
    """The rows with `fields` redacted (a new list; the rows given are not changed)."""
    return [{**r, **{f: redact(r.get(f)) for f in fields if f in r}} for r in rows]
