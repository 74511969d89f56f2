"""The UI text catalog: zh-CN first, English complete; t(key) in the current language.

Each area keeps its messages in its own module here (core.py, admin.py, ...), each a dict
MESSAGES = {key: (zh, en)}; they are merged once, and a key defined twice is an error.
"""

from __future__ import annotations

import contextvars
import importlib
import pkgutil
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


def _in_streamlit() -> bool:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return get_script_run_ctx(suppress_warning=True) is not None
    except Exception:  # pragma: no cover - streamlit missing or changed
        return False


def current_lang() -> str:
    if _in_streamlit():
        import streamlit as st

        lang = st.session_state.get(SESSION_KEY, DEFAULT_LANG)
        return lang if lang in LANGS else DEFAULT_LANG
    return _fallback_lang.get()


def set_lang(lang: str) -> None:
    lang = lang if lang in LANGS else DEFAULT_LANG
    if _in_streamlit():
        import streamlit as st

        st.session_state[SESSION_KEY] = lang
    _fallback_lang.set(lang)


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
