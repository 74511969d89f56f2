"""The UI text catalog: zh-CN first, English complete; t(key) in the current language.

Each area keeps its messages in its own module here (core.py, admin.py, ...), each a dict
MESSAGES = {key: (zh, en)}; they are merged once, and a key defined twice is an error.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import pkgutil
from collections.abc import Callable, MutableMapping
from functools import lru_cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
SESSION_KEY = "csm.lang"

_fallback_lang: contextvars.ContextVar[str] = contextvars.ContextVar("csm_lang", default=DEFAULT_LANG)


@lru_cache(maxsize=1)
def catalog() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for key, pair in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"i18n key defined twice: {key} (in {mod.name})")
            merged[key] = pair
    return merged


_session_state: Callable[[], MutableMapping | None] | None = None


def use_session_state(source: Callable[[], MutableMapping | None]) -> None:
    """The web glue (csm/web/ui.py) hands in where a browser session keeps its language: a callable
    giving the session state inside a script run, None outside one. The catalog itself imports
    no Streamlit (the domain uses it too)."""
    global _session_state
    _session_state = source


def _session() -> MutableMapping | None:
    return _session_state() if _session_state is not None else None


def current_lang() -> str:
    state = _session()
    if state is not None:
        lang = state.get(SESSION_KEY, DEFAULT_LANG)
        return lang if lang in LANGS else DEFAULT_LANG
    return _fallback_lang.get()


def set_lang(lang: str) -> None:
    lang = lang if lang in LANGS else DEFAULT_LANG
    state = _session()
    if state is not None:
        state[SESSION_KEY] = lang
    _fallback_lang.set(lang)


@contextlib.contextmanager
def speaking(lang: str):
    """Outside a browser session (a download built on click, the command line): t() and label()
    speak `lang` within the block."""
    token = _fallback_lang.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _fallback_lang.reset(token)


def t(key: str, lang: str | None = None, **params) -> str:
    pair = catalog().get(key)
    if pair is None:
        return key  # visible in the UI and caught by the catalog test
    text = pair[LANGS.index(lang or current_lang())]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalog()


def label(value: str | None, prefix: str) -> str:
    """Translate an enumerated value, e.g. label('clerk', 'role') -> 客服助理."""
    if value is None:
        return ""
    key = f"{prefix}.{value}"
    return t(key) if has(key) else str(value)


def labels(values, prefix: str):
    """label() of every value of a pandas column, each distinct value translated once (an export
    of 12,000 service records has four service types: one lookup per row cost a fifth of a
    second); a missing value gives ""."""
    distinct = {v: label(v, prefix) for v in values.dropna().unique()}
    return values.map(distinct).where(values.notna(), "")
