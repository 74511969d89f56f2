"""Notes the system writes into a complaint's history: stored as a neutral code with parameters, so
that each reader sees them in their own language; older rows hold plain text and are shown as is."""

from __future__ import annotations

import json

from csm.i18n import has, t

PREFIX = "@note:"  # what marks a stored code; a person's text never starts with it


def encode(code: str, **params) -> str:
    """The stored form of note `code` (catalog key note.<code>) with its parameters."""
    return PREFIX + json.dumps({"code": code, "params": params}, ensure_ascii=False, sort_keys=True)


def decode(stored: str | None) -> tuple[str, dict] | None:
    """(code, params) of a stored code; None for plain text."""
    if not stored or not stored.startswith(PREFIX):
        return None
    try:
        data = json.loads(stored[len(PREFIX):])
        return str(data["code"]), dict(data.get("params") or {})
    except (ValueError, KeyError, TypeError):
        return None


def render(stored: str | None, lang: str | None = None) -> str:
    """A history note in the reader's language (`lang`, default the current one)."""
    found = decode(stored)
    if found is None:
        return stored or ""
    code, params = found
    if not has(f"note.{code}"):
        return stored
    try:
        return t(f"note.{code}", lang, **params)
    except (KeyError, IndexError):  # a parameter missing from an old row
        return stored
