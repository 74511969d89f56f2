"""Streamlit glue shared by app.py and the pages: database handle, login, guard, formatting.

Session-state keys owned by this app (initialised in init_state):
  csm.lang            UI language of this session ('zh' | 'en')
  csm.user            the logged-in user's row (id, username, display_name, role, scope...)
  csm.login_recorded  username whose login has been written to the audit log
  csm.lang_chosen     True once the user picked a language on the login screen
  csm.form_login      username whose login form was submitted (the audit log's login)
  csm.complaint_param the ?complaint= value last synced with complaints.open_id
The login library owns: name, username, authentication_status, email, roles, logout.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import streamlit as st

from csm import config, i18n
from csm.db import Database, open_database
from csm.errors import UserError, ValidationFailed
from csm.i18n import t
from csm.navigation import BY_ID, PAGES, allowed
from csm.org import users
from csm.org.scope import Scope, describe


def _script_session_state():
    """The session state inside a Streamlit script run, None outside one (tests, CLI): where
    csm.i18n keeps the language of a browser session."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return st.session_state if get_script_run_ctx(suppress_warning=True) is not None else None
    except Exception:  # pragma: no cover - streamlit changed
        return None


i18n.use_session_state(_script_session_state)

USER_KEY = "csm.user"
LOGIN_RECORDED_KEY = "csm.login_recorded"
LANG_CHOSEN_KEY = "csm.lang_chosen"
FORM_LOGIN_KEY = "csm.form_login"
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


def authenticator():
    """The login library's object. Building it renders its cookie component: in a restored
    session that happens after st.navigation (see restore_session)."""
    import streamlit_authenticator as stauth

    return stauth.Authenticate(
        users.credentials(get_db()), COOKIE_NAME, cookie_key(), cookie_expiry_days=1, auto_hash=False,
        login_sleep_time=float(os.environ.get("CSM_LOGIN_SLEEP", "0.3")),
    )


def _cookie_username() -> str | None:
    """The username in a valid login cookie (the token the library set at the last login)."""
    import jwt

    if st.session_state.get("logout"):  # logged out in this session: the old cookie no longer counts
        return None
    try:
        raw = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser request (AppTest)
        return None
    if not raw:
        return None
    try:
        token = jwt.decode(raw, cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(token, dict) or "username" not in token:
        return None
    if float(token.get("exp_date", 0)) <= time.time():
        return None
    return str(token["username"])


def restore_session() -> dict | None:
    """The signed-in user of this session, without rendering anything: from the session, or from
    the login cookie after a reload, a typed URL or a new tab (the library's token login).

    Nothing may be rendered before st.navigation in such a run: a component that reports back
    early (the library's cookie manager) triggers a rerun that Streamlit resolves to the default
    page, so a reload would land on the home page. A restored session is not a new login: the
    audit log records a login only when the login form was submitted."""
    init_state()
    db = get_db()
    if st.session_state.get("authentication_status"):
        username = st.session_state.get("username")
        user = users.get(db, username) if username else None
    else:
        username = _cookie_username()
        user = users.get(db, username) if username else None
        if user is not None and user["active"]:
            st.session_state["authentication_status"] = True
            st.session_state["username"] = username
            st.session_state["name"] = user["display_name"]
            st.session_state["roles"] = [user["role"]]
            st.session_state["email"] = user["email"]
    if user is None or not user["active"]:
        return None
    return _signed_in(db, user)


def _signed_in(db: Database, user: dict) -> dict:
    username = user["username"]
    if st.session_state.get(LOGIN_RECORDED_KEY) != username:
        st.session_state[LOGIN_RECORDED_KEY] = username
        if st.session_state.pop(FORM_LOGIN_KEY, None) == username:  # the login form, just now
            users.record_login(db, username)
            picked = st.session_state.get("login.lang")  # chosen on the login screen just now
            if st.session_state.get(LANG_CHOSEN_KEY) and picked in i18n.LANGS and picked != user["lang"]:
                users.set_lang(db, username, picked)
                user["lang"] = picked
        i18n.set_lang(user["lang"])
    user = {k: v for k, v in user.items() if k != "password_hash"}
    st.session_state[USER_KEY] = user
    return user


def _logged_out(db: Database, info: dict) -> None:
    users.record_logout(db, info.get("username"))
    st.session_state[LOGIN_RECORDED_KEY] = None  # the next login form in this session is a login again


def _form_submitted(info: dict) -> None:
    st.session_state[FORM_LOGIN_KEY] = info.get("username")


def login():
    """Show the login form until a user is authenticated; return (user, authenticator)."""
    from streamlit_authenticator.utilities import LoginError

    init_state()
    db = get_db()
    auth = authenticator()
    model = auth.authentication_controller.authentication_model
    before = {u: v.get("failed_login_attempts", 0) for u, v in model.credentials["usernames"].items()}
    attempts, minutes = users.lock_policy(db)

    if not st.session_state.get("authentication_status"):
        st.title(t("app.title"))
        st.caption(t("app.tagline"))
        _language_picker("login.lang")
    try:
        auth.login(
            location="main", max_login_attempts=attempts, key="csm.login", callback=_form_submitted,
            fields={"Form name": t("login.form"), "Username": t("login.username"),
                    "Password": t("login.password"), "Login": t("login.submit")},
        )
    except LoginError:
        st.session_state["authentication_status"] = None
        st.error(t("login.locked", minutes=minutes))
        return None, auth

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
        return None, auth
    if status is None:
        st.info(t("login.hint"))
        return None, auth

    username = st.session_state.get("username")
    user = users.get(db, username) if username else None
    if user is None or not user["active"]:
        auth.logout(location="unrendered")
        st.error(t("login.inactive"))
        return None, auth
    return _signed_in(db, user), auth


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
    return st.navigation(sections, expanded=True)  # every entry shown: no "View more" button


COMPLAINT_PARAM = "complaint"          # ?complaint=<id> on the desk's URL: a reload keeps it open
OPEN_COMPLAINT_KEY = "complaints.open_id"  # the complaint the desk shows (pages/complaints.py)
COMPLAINT_PARAM_KEY = "csm.complaint_param"


def complaint_from_url(user: dict) -> None:
    """When the desk starts (from guard): a new ?complaint= value (a reload, a typed or shared
    link) opens that complaint if the user's scope may see it; otherwise the parameter is dropped
    with a notice."""
    raw = st.query_params.get(COMPLAINT_PARAM)
    if raw is None or raw == st.session_state.get(COMPLAINT_PARAM_KEY):
        return
    st.session_state[COMPLAINT_PARAM_KEY] = raw
    found = None
    if raw.strip().isdigit():
        found = get_db().value("core/shell_complaint_in_scope", {"id": int(raw), **Scope.of(user).params()})
    if found:
        st.session_state[OPEN_COMPLAINT_KEY] = int(found)
    else:
        del st.query_params[COMPLAINT_PARAM]
        st.session_state[COMPLAINT_PARAM_KEY] = None
        st.toast(t("shell.complaint_not_found"))


def complaint_to_url(page) -> None:
    """After the desk ran: the URL names the complaint it shows (or none)."""
    if page.url_path != "complaints":
        return
    open_id = st.session_state.get(OPEN_COMPLAINT_KEY)
    value = str(int(open_id)) if open_id else None
    if st.query_params.get(COMPLAINT_PARAM) != value:
        if value:
            st.query_params[COMPLAINT_PARAM] = value
        else:
            del st.query_params[COMPLAINT_PARAM]
    st.session_state[COMPLAINT_PARAM_KEY] = value


def calendar_notice(user: dict) -> None:
    """For the administrator: the years whose holidays are not known yet (csm.admin.holidays), from
    September 1 of the year before. Shown on the home page after login and on the calendar page."""
    if user["role"] != "admin":
        return
    from csm import dates
    from csm.admin import holidays

    db = get_db()
    today = dates.today(db.timezone)
    years = holidays.notice_years(db, today)
    if years:
        st.warning(t("calendar.notice", years=t("calendar.years_sep").join(str(y) for y in years),
                     page=t("page.admin_reference"), tab=t("admin.ref.calendar")),
                   icon=":material/event_busy:")


# Streamlit's own texts that no widget parameter or setting changes (1.67 has no locale option):
# replaced in the Chinese interface. Hidden: the form hints ("Press Enter to submit form"; the
# forms have their buttons). Replaced: the uploader's button and limit, the status widget's Stop.
CHROME_CSS = """<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] { display: none; }
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after { content: "%(button)s"; }
[data-testid="stFileUploaderDropzoneInstructions"] span { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after { content: "%(hint)s"; font-size: 0.875rem; }
[data-testid="stStatusWidget"] button { font-size: 0; }
[data-testid="stStatusWidget"] button::after { content: "%(stop)s"; font-size: 0.875rem; }
.equpb2c9 { font-size: 0; }  /* the select box's "No results" (no test id: Streamlit 1.67's class) */
.equpb2c9::after { content: "%(none)s"; font-size: 0.875rem; }
</style>"""


def chrome() -> None:
    """Once per run from app.py: the CSS above, with the texts from the catalog (zh only)."""
    if i18n.current_lang() != "zh":
        return
    mb = st.get_option("server.maxUploadSize")

    def css_text(key: str, **params) -> str:
        return t(key, **params).replace("\\", "\\\\").replace('"', '\\"')

    st.html(CHROME_CSS % {"button": css_text("shell.uploader_button"),
                          "hint": css_text("shell.uploader_hint", mb=mb), "stop": css_text("shell.stop"),
                          "none": css_text("shell.no_results")})


def inbox_count(user: dict) -> int:
    """Items in the user's inbox (the same read as the home page's list), shown in the menu."""
    from csm.complaints import reads

    try:
        return reads.inbox_count(*acting(user))
    except Exception:  # the menu must render even if the count cannot be read; the log says why
        import logging

        logging.getLogger("csm").exception("inbox count failed")
        return 0


def start_services() -> None:
    """From app.py on every run (cheap after the first): the serving process's background work —
    the escalation timer and the control channel through which `python -m csm backup / escalate /
    digest` ask this process while it holds the database (csm.ops.service, once per process)."""
    from csm.ops import service

    service.ensure(get_db())


def sidebar(user: dict, auth=None) -> None:
    db = get_db()
    auth = auth or authenticator()
    with st.sidebar:
        st.caption(t("sidebar.signed_in_as", name=user["display_name"],
                     role=t(f"role.{user['role']}")))
        st.caption(t("sidebar.scope", scope=describe(db, Scope.of(user))))
        auth.logout(
            button_name=t("logout"), location="sidebar", key="csm.logout",
            callback=lambda info: _logged_out(db, info),
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
    if page_id == "complaints":
        complaint_from_url(user)
    return user


def scope_of(user: dict) -> Scope:
    return Scope.of(user)


OVERDUE_CSS = "color: #b00020; font-weight: 600"
TABLE_ROWS = 200  # rows a styled table shows at once; the export has them all


def red_rows(frame, mask):
    """The table with the rows where `mask` is true in the overdue red (one vectorised pass:
    a row-by-row Styler costs seconds on thousands of rows); empty cells blank, never 'None'."""
    import numpy as np
    import pandas as pd

    from csm import fmt

    frame = fmt.blank_missing(frame)

    flags = np.asarray(list(mask), dtype=bool)[:, None]
    css = np.broadcast_to(np.where(flags, OVERDUE_CSS, ""), frame.shape)
    styles = pd.DataFrame(css, index=frame.index, columns=frame.columns)
    return frame.style.apply(lambda _: styles, axis=None)


def vega(spec: dict, **kwargs):
    """Render a ready Vega-Lite spec (see csm.web.cache.chart_spec)."""
    return st.vega_lite_chart(spec=spec, **kwargs)


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


def acting(user: dict):
    """The database and the Actor of this session (user, role, scope, language, company clock)."""
    from csm.actor import Actor

    db = get_db()
    return db, Actor.of(user, tz=db.timezone, lang=i18n.current_lang())


def resident_link_db() -> Database:
    """The database of the one page without a login (pages/survey_self.py, a resident's household
    link): it is handed only to csm.surveys.self_service, whose token is the credential."""
    return get_db()


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
