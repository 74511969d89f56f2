"""How long a typed text may be (issue 12): checked by the domain (a command refuses with a Chinese
message, whatever sent it), and given to the widgets as max_chars (which shows a counter).
Shared below the capabilities."""

from __future__ import annotations

from csm import config
from csm.errors import UserError

TEXT = config.MAX_TEXT_CHARS  # a description, a comment, a note, a result, a reason
NAME = 50                     # a person's name (complainant, resident, handler, confirmed by)
UNIT = 50                     # a unit or building typed as text (1-0101, 3栋2单元)
REF = 64                      # a work-order number, a form number
TITLE = 200                   # a one-line title or label (a wave's name, an action's title)


def too_long(value: object, limit: int, field: str | None = None) -> UserError | None:
    """The refusal of a text over `limit` characters, or None."""
    n = len(value) if isinstance(value, str) else 0
    return UserError("input.error.too_long", field=field, limit=f"{limit:,}", n=f"{n:,}") if n > limit else None


def check(problems: list[UserError], *fields: tuple[object, int, str]) -> list[UserError]:
    """Appends to `problems` the refusal of each (value, limit, field) over its limit; returns them."""
    for value, limit, name in fields:
        err = too_long(value, limit, name)
        if err is not None:
            problems.append(err)
    return problems


def refuse(*fields: tuple[object, int, str]) -> None:
    """Raises ValidationFailed naming every text over its limit (for commands without a problem list)."""
    from csm.errors import ValidationFailed

    problems = check([], *fields)
    if problems:
        raise ValidationFailed(problems)
