"""Phone numbers and the relation to the unit: one rule for every form and importer that takes a
contact (complaint intake, revisit attempts, service records, move-ins, survey forms, residents).
Shared below the capabilities (no database, no Streamlit).

`normalise(text)` accepts what people type and stores one form:
- mobiles: `+86 138 0013 8000`, `0086-13800138000`, `138-0013-8000`, full-width digits
  `１３８００１３８０００` → `13800138000`;
- landlines with the area code (010 and 02x have three digits, the others four), with or
  without brackets, spaces or dashes, optionally an extension (`-123`, `转123`, `ext 123`, `#123`):
  `010-8888 6666`, `(0755)86668888`, `+86 10 88886666` → `010-88886666`, `0755-86668888-123`;
- a local number without the area code (7 or 8 digits, not starting with 0 or 1) → as is;
- service numbers `400-810-8888` / `800…` → `400-810-8888`.
Refused (UserError "phone.error.invalid"): anything else — a wrong length, letters, a number made of
one digit (`0000000`, `13333333333` is fine but `11111111111` is not a mobile), an area code of zeros.
"""

from __future__ import annotations

import re
import unicodedata

from csm.errors import UserError

# a resident's (or caller's) relation to the unit: 业主 / 家属 / 租户 / 其他
RELATIONS = ("owner", "family", "tenant", "other")
MAX_CHARS = 40  # what a phone field takes as typed (the widget's max_chars)

_EXT = re.compile(r"(?:转|分机|ext\.?|x|#|,|，)\s*(\d{1,6})$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.·/()（）]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_DASH_EXT = re.compile(r"^(.*\d)\s*[-‐‑–—]\s*(\d{1,6})$")


class PhoneError(UserError):
    """A phone number that is not one (its own key, the field the caller names)."""

    def __init__(self, field: str = "phone", value: str = ""):
        super().__init__("phone.error.invalid", field=field, value=value)


def _area_len(digits: str) -> int:
    """010 and 020–029 have three digits, every other area code four."""
    return 3 if digits[:2] in ("01", "02") else 4


def normalise(text: str | None, field: str = "phone") -> str:
    """The stored form of a typed phone number; "" for an empty one; PhoneError when it is not a
    number a person can be reached on."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return ""
    if len(raw) > MAX_CHARS:
        raise PhoneError(field, raw[:MAX_CHARS] + "…")
    ext = ""
    m = _EXT.search(raw)
    if m:
        ext, raw = m.group(1), raw[:m.start()].strip()
    number = _number(raw, ext)
    if number is None and not ext:  # 010-88886666-123: the last group after a dash is an extension
        m = _DASH_EXT.match(raw)
        number = _number(m.group(1), m.group(2)) if m else None
        number = number if number and number[0] == "0" and number.count("-") == 2 else None
    if number is None:
        raise PhoneError(field, text or "")
    return number


def _number(raw: str, ext: str) -> str | None:
    body = _SEPARATORS.sub("", raw)
    intl = body.startswith(("+", "0086"))
    if body.startswith("+"):
        if not body.startswith("+86"):
            return None
        body = body[3:]
    elif body.startswith("0086"):
        body = body[4:]
    elif body.startswith("86") and len(body) == 13 and _MOBILE.fullmatch(body[2:]):
        body = body[2:]
    if not body.isdigit() or len(set(body)) == 1:
        return None
    if _MOBILE.fullmatch(body) and not ext:
        return body
    if _SERVICE.fullmatch(body) and not ext:
        return f"{body[:3]}-{body[3:6]}-{body[6:]}"
    if intl and not body.startswith("0"):
        body = "0" + body  # +86 10 88886666: the area code without its 0
    suffix = f"-{ext}" if ext else ""
    if body.startswith("0"):
        n = _area_len(body)
        area, local = body[:n], body[n:]
        if area.strip("0") and (area == "010" or area[:2] != "01") and _LOCAL.fullmatch(local) \
                and len(set(local)) > 1:
            return f"{area}-{local}{suffix}"
        return None
    if _LOCAL.fullmatch(body):
        return body + suffix
    return None


def problem(text: str | None, field: str = "phone") -> UserError | None:
    """The refusal of a typed number, or None when it is empty or a phone number."""
    try:
        normalise(text, field)
    except PhoneError as exc:
        return exc
    return None


def stored(text: str | None) -> str:
    """What a record keeps: the normalised number; a number that is not one (an older record's
    contact copied into a new one) kept as it was typed, without spaces."""
    try:
        return normalise(text)
    except PhoneError:
        return unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
