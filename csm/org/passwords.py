"""The password rule (issue 12): at least 8 characters, not only spaces, not one character
repeated or a short unit repeated, not a run (12345678, abcdefgh, 87654321, a keyboard row), not
a date, not containing the username, and not on the shipped list of common passwords
(data/reference/common-passwords.txt, compared in lower case and after undoing the usual
substitutions such as P@ssw0rd). Used for every new password: create, own change, admin reset,
`python -m csm init --production`."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from csm import config
from csm.errors import UserError

MIN_LENGTH = 8
COMMON_FILE = config.ROOT / "data" / "reference" / "common-passwords.txt"
# The demo data's public password (tools/demo uses the same text; a test keeps them equal). In
# production mode a user who logs in with it changes it before any page (csm.org.users.authenticate).
DEMO_PASSWORD = "Demo@2026"

_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s",
                       "7": "t", "+": "t"})
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
         "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")


@lru_cache(maxsize=1)
def common(path: Path = COMMON_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def _is_run(text: str) -> bool:
    """Every character follows the one before it on a keyboard row or in the alphabet / digits,
    forwards or backwards (12345678, 87654321, qwertyui, abcdefgh)."""
    s = text.lower()
    for row in _ROWS:
        for line in (row, row[::-1]):
            if s in line or s in line * 2:  # "78901234" wraps around the digit row
                return True
    return False


def _is_repeat(text: str) -> bool:
    """One character, or a unit of up to four characters, repeated (aaaaaaaa, abcabcabc, 12121212)."""
    s = text.lower()
    return any(len(s) % n == 0 and s == s[:n] * (len(s) // n) for n in range(1, 5) if len(s) > n)


def _is_date(text: str) -> bool:
    """A birthday typed as digits: 19880521, 20010101 (yyyymmdd), 05211988 (mmddyyyy)."""
    if not (text.isdigit() and len(text) == 8):
        return False
    for y, m, d in ((text[:4], text[4:6], text[6:]), (text[4:], text[:2], text[2:4]), (text[4:], text[2:4], text[:2])):
        try:
            date(int(y), int(m), int(d))
        except ValueError:
            continue
        if 1900 <= int(y) <= 2100:
            return True
    return False


def problems(password: str | None, username: str | None = None, field: str = "password") -> list[UserError]:
    """What is wrong with a new password (empty list: acceptable), as catalog errors on `field`."""
    pw = password or ""
    if not pw.strip():
        return [UserError("user.error.password_blank", field=field)]
    if len(pw) < MIN_LENGTH:
        return [UserError("user.error.password_short", field=field, n=MIN_LENGTH)]
    core = pw.strip()
    if _is_repeat(core) or _is_run(core):
        return [UserError("user.error.password_trivial", field=field)]
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in pw.lower():
        return [UserError("user.error.password_username", field=field)]
    listed = common()
    lowered = core.lower()
    if lowered in listed or lowered.translate(_LEET) in listed or _is_date(core):
        return [UserError("user.error.password_common", field=field)]
    return []


def acceptable(password: str | None, username: str | None = None) -> bool:
    return not problems(password, username)
