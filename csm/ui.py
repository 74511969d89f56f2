"""Streamlit glue shared by app.py and the pages: database handle, login, guard, formatting.

Session-state keys owned by this app (initialised in init_state):
  csm.lang            UI language of this session ('zh' | 'en')
  csm.user            the logged-in user's row (id, username, display_name, role, scope...)
  csm.login_recorded  username whose login has been written to the audit log
  csm.lang_chosen     True once the user picked a language on the login screen
The login library owns: name, username, authentication_status, email, roles, logout.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import streamlit as st

from csm import config, i18n, users
from csm.db import Database, open_database
from csm.errors import UserError, ValidationFailed
from csm.i18n import t
from csm.navigation import BY_ID, PAGES, allowed
from csm.scope import Scope, describe

USER_KEY = "csm.user"
LOGIN_RECORDED_KEY = "csm.login_recorded"
LANG_CHOSEN_KEY = "csm.lang_chosen"
COOKIE_NAME = "csm_auth"


def init_state() -> None:
    st.session_state.setdefault(i18n.SESSION_KEY, i18n.DEFAULT_LANG)
    st.session_state.setdefault(USER_KEY, None)
    st.session_state.setdefault(LOGIN_RECORDED_KEY, None)


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return open_database(path)


def get_db() -> Database:
    return _database(config.db_path())


# ---- login -------------------------------------------------------------------------------
def cookie_key() -> str:
    """From secrets ([auth] cookie_key) or CSM_COOKIE_KEY; else generated once into data/."""
    try:
        key = st.secrets.get("auth", {}).get("cookie_key")
    except Exception:
        key = None
    key = key or os.environ.get("CSM_COOKIE_KEY")
    if key:
        return key
    path = Path(config.DATA_DIR) / ".cookie_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _language_picker(key: str) -> None:
    current = i18n.current_lang()
    choice = st.segmented_control(
        t("lang.label"), options=list(i18n.LANGS), format_func=lambda v: t(f"lang.{v}"),
        default=current, key=key,
    )
    if choice and choice != current:
        i18n.set_lang(choice)
        st.session_state[LANG_CHOSEN_KEY] = True  # a real choice, not the default shown on a new session
        st.rerun()


def login():
    """Show the login form until a user is authenticated; return (user, authenticator)."""
    import streamlit_authenticator as stauth
    from streamlit_authenticator.utilities import LoginError

    init_state()
    db = get_db()
    creds = users.credentials(db)
    authenticator = stauth.Authenticate(
        creds, COOKIE_NAME, cookie_key(), cookie_expiry_days=1, auto_hash=False,
        login_sleep_time=float(os.environ.get("CSM_LOGIN_SLEEP", "0.3")),
    )
    model = authenticator.authentication_controller.authentication_model
    before = {u: v.get("failed_login_attempts", 0) for u, v in model.credentials["usernames"].items()}
    attempts, minutes = users.lock_policy(db)

    if not st.session_state.get("authentication_status"):
        st.title(t("app.title"))
        st.caption(t("app.tagline"))
        _language_picker("login.lang")
    try:
        authenticator.login(
            location="main", max_login_attempts=attempts, key="csm.login",
            fields={"Form name": t("login.form"), "Username": t("login.username"),
                    "Password": t("login.password"), "Login": t("login.submit")},
        )
    except LoginError:
        st.session_state["authentication_status"] = None
        st.error(t("login.locked", minutes=minutes))
        return None, authenticator

    status = st.session_state.get("authentication_status")
    if status is False:
        failed = [u for u, v in model.credentials["usernames"].items()
                  if v.get("failed_login_attempts", 0) > before.get(u, 0)]
        locked = False
        for username in failed:
            locked = users.record_failed_login(db, username) or locked
        if not failed:
            users.record_failed_login(db, "?")
        st.error(t("login.locked", minutes=minutes) if locked else t("login.failed"))
        return None, authenticator
    if status is None:
        st.info(t("login.hint"))
        return None, authenticator

    username = st.session_state.get("username")
    user = users.get(db, username) if username else None
    if user is None or not user["active"]:
        authenticator.logout(location="unrendered")
        st.error(t("login.inactive"))
        return None, authenticator
    if st.session_state.get(LOGIN_RECORDED_KEY) != username:
        users.record_login(db, username)
        st.session_state[LOGIN_RECORDED_KEY] = username
        picked = st.session_state.get("login.lang")  # chosen on the login screen just now
        if st.session_state.get(LANG_CHOSEN_KEY) and picked in i18n.LANGS and picked != user["lang"]:
            users.set_lang(db, username, picked)
            user["lang"] = picked
        i18n.set_lang(user["lang"])
    user = {k: v for k, v in user.items() if k != "password_hash"}
    st.session_state[USER_KEY] = user
    return user, authenticator


def navigation(user: dict):
    """st.navigation with the role's pages in the menu; the others registered but hidden, so
    that a URL to them reaches the page's own refusal instead of silently redirecting."""
    sections: dict[str, list] = {}
    waiting = inbox_count(user)
    for spec in PAGES:
        visible = allowed(user["role"], spec.id)
        title = t(spec.title_key)
        if spec.id == "home" and waiting:
            title = f"{title} ({waiting})"  # the inbox count in the menu
        page = st.Page(spec.path, title=title, icon=spec.icon, url_path=spec.id,
                       default=spec.default, visibility="visible" if visible else "hidden")
        sections.setdefault(t(spec.section), []).append(page)
    return st.navigation(sections)


def inbox_count(user: dict) -> int:
    """Items in the user's inbox (assigned, unread notices, due today), shown in the menu."""
    if user["role"] == "admin":
        return 0
    from csm import complaints

    db = get_db()
    try:
        return int(db.value("inbox_count", complaints.inbox_params(user, db.timezone)) or 0)
    except Exception:  # the menu must render even if the count cannot be read; the log says why
        import logging

        logging.getLogger("csm").exception("inbox count failed")
        return 0


def sidebar(user: dict, authenticator) -> None:
    db = get_db()
    with st.sidebar:
        st.caption(t("sidebar.signed_in_as", name=user["display_name"],
                     role=t(f"role.{user['role']}")))
        st.caption(t("sidebar.scope", scope=describe(db, Scope.of(user))))
        authenticator.logout(
            button_name=t("logout"), location="sidebar", key="csm.logout",
            callback=lambda info: users.record_logout(db, info.get("username")),
        )


# ---- pages -------------------------------------------------------------------------------
def guard(page_id: str) -> dict:
    """Every page starts here: title, and a refusal (no data) for a role without access."""
    init_state()
    spec = BY_ID[page_id]
    user = st.session_state.get(USER_KEY)
    if not user:
        st.error(t("error.not_logged_in"))
        st.stop()
    if not allowed(user["role"], page_id):
        st.title(t(spec.title_key))
        st.error(t("error.permission_denied"))
        st.stop()
    st.title(t(spec.title_key))
    return user


def scope_of(user: dict) -> Scope:
    return Scope.of(user)


OVERDUE_CSS = "color: #b00020; font-weight: 600"
TABLE_ROWS = 200  # rows a styled table shows at once; the export has them all


def red_rows(frame, mask):
    """The table with the rows where `mask` is true in the overdue red (one vectorised pass:
    a row-by-row Styler costs seconds on thousands of rows)."""
    import numpy as np
    import pandas as pd

    flags = np.asarray(list(mask), dtype=bool)[:, None]
    css = np.broadcast_to(np.where(flags, OVERDUE_CSS, ""), frame.shape)
    styles = pd.DataFrame(css, index=frame.index, columns=frame.columns)
    return frame.style.apply(lambda _: styles, axis=None)


def altair(chart, **kwargs):
    """Render an Altair chart from its Vega-Lite spec without a second schema validation pass
    (st.altair_chart validates the whole spec on every rerun: ~15 ms a chart). The chart builders
    are validated once in the tests (tests/test_surveys.py)."""
    return st.vega_lite_chart(spec=chart.to_dict(validate=False), **kwargs)


def show_error(exc: Exception) -> None:
    """A command's refusal in the user's language; never a traceback."""
    if isinstance(exc, ValidationFailed):
        st.error(exc.message() + "\n\n" + "\n".join(f"- {m}" for m in exc.messages()))
    elif isinstance(exc, UserError):
        st.error(exc.message())
    else:  # pragma: no cover - logged for the developers, shown politely to the user
        import logging

        logging.getLogger("csm").exception("unexpected error")
        st.error(t("error.unexpected"))


# Share of the bar each phase of an import fills (saving is most of the time).
IMPORT_PHASES = {"read": (0.0, 0.15), "check": (0.15, 0.35), "save": (0.35, 1.0)}


class import_progress:  # noqa: N801 - used as a context manager, like st.status
    """`with ui.import_progress(upload.name) as progress: domain.import_file(..., progress=progress)`:
    a st.status box with a progress bar the importer moves (phase, done, total); it ends green
    when the import finished and red when it was refused (the refusal is shown by show_error)."""

    def __init__(self, file_name: str):
        self.status = st.status(t("import.status.running", name=file_name), expanded=True)
        self.bar = self.status.progress(0.0, text=t("import.progress.read", done=0, total="…"))

    def __call__(self, phase: str, done: int, total: int) -> None:
        lo, hi = IMPORT_PHASES[phase]
        share = done / total if total else 1.0
        self.bar.progress(min(lo + (hi - lo) * share, 1.0),
                          text=t(f"import.progress.{phase}", done=done, total=total))

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None:
            self.bar.progress(1.0, text=t("import.status.done"))
            self.status.update(label=t("import.status.done"), state="complete", expanded=False)
        else:
            self.status.update(label=t("import.status.failed"), state="error", expanded=False)
        return False
