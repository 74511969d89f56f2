"""Driving the app with AppTest as a logged-in role."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

TIMEOUT = 60


def app_as(username: str | None, lang: str = "zh") -> AppTest:
    """The whole app (login, navigation) as a session signed in by server code: the keys preset
    here get a server-side login session on the first run (csm.web.ui.restore_session)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if username:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
    at.session_state["csm.lang"] = lang
    return at


def open_page(username: str, page: str, lang: str = "zh", tab: str | None = None) -> AppTest:
    """The page as the user; `tab` (a tab's label) picks the tab of a page whose tabs run lazily
    (`st.tabs(..., key="<page>.tab", on_change="rerun")`), as a click on it would."""
    at = app_as(username, lang)
    at.run()
    at.switch_page(f"pages/{page}.py")
    if tab is not None:
        at.session_state[f"{page}.tab"] = tab
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "info", "success",
                 "warning"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def submit_form(at: AppTest, form_key: str) -> AppTest:
    """Click the submit button of the st.form with this key, and rerun."""
    for b in at.button:
        if b.key and b.key.startswith(f"FormSubmitter:{form_key}-"):
            b.click()
            at.run()
            return at
    raise AssertionError(f"no submit button for form {form_key}")
