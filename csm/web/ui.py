"""Streamlit glue shared by app.py and the pages: database handle, login, guard, formatting.

Session-state keys owned by this app (initialised in init_state):
  csm.lang            UI language of this session ('zh' | 'en')
  csm.user            the logged-in user's row (id, username, display_name, role, scope...)
  csm.session         this browser session's login token (csm.org.sessions; checked on every run)
  csm.cookie          the login cookie still to be set: its one-time ticket, or "" to clear it
  csm.login_notice    a catalog key shown once on the login screen (a session that ended)
  csm.login_recorded  username whose language has been applied to this session
  csm.lang_chosen     True once the user picked a language on the login screen
  csm.complaint_param the ?complaint= value last synced with complaints.open_id
The login form's widgets: login.username, login.password (form csm.login), login.lang.
A session that arrives with `authentication_status` True and `username` set by server code (the
AppTest helpers and tools/bench.py preset the keys the old login library used) gets a server-side
session for that user on its first run; no widget may use these keys (a test checks).
"""

from __future__ import annotations

import threading

import streamlit as st

from csm import config, i18n
from csm.db import Database, open_database
from csm.errors import UserError, ValidationFailed
from csm.i18n import t
from csm.importing import progress as import_progress_phases
from csm.navigation import BY_ID, PAGES, allowed
from csm.org import sessions, users
from csm.org.scope import Scope, describe
from csm.web import auth_routes
from csm.web.plain import plain, plain_t  # noqa: F401 - user-typed text shown as typed (input)


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
SESSION_KEY = "csm.session"
COOKIE_KEY = "csm.cookie"
NOTICE_KEY = "csm.login_notice"
LOGIN_RECORDED_KEY = "csm.login_recorded"
LANG_CHOSEN_KEY = "csm.lang_chosen"
COOKIE_NAME = auth_routes.COOKIE_NAME  # "csm_session"
PRESET_KEYS = ("authentication_status", "username", "name", "roles", "email")  # see the docstring


def init_state() -> None:
    st.session_state.setdefault(i18n.SESSION_KEY, i18n.DEFAULT_LANG)
    st.session_state.setdefault(USER_KEY, None)
    st.session_state.setdefault(LOGIN_RECORDED_KEY, None)


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return open_database(path)


def get_db() -> Database:
    return _database(config.db_url() or config.db_path())  # CSM_DB_URL: the shared store (docs/storage.md)


# ---- login -------------------------------------------------------------------------------
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


def _cookie_token() -> str | None:
    """The login cookie the browser sent when it opened this session (None without a browser)."""
    try:
        raw = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser request
        return None
    return raw if isinstance(raw, str) else None  # AppTest's context has no real cookies


def _new_session(db: Database, user_id: int) -> str:
    """A new server session for this browser session; its cookie is written on the next screen
    (_apply_cookie) through a one-time ticket when the process serves the cookie routes (serve.py),
    else there is no cookie (AppTest, or the bare `streamlit run app.py`: a reload logs out)."""
    if not auth_routes.mounted():
        return sessions.open_session(db, user_id)
    token, ticket = sessions.open_session_with_ticket(db, user_id)
    st.session_state[COOKIE_KEY] = ticket
    return token


def _apply_cookie() -> None:
    """Have the browser set (or clear) the login cookie asked for in this session. A script cannot
    send a Set-Cookie header, and a cookie written by a script cannot be HttpOnly, so the page only
    posts the one-time ticket to csm/web/auth_routes.py, whose answer sets the HttpOnly cookie; a
    clear posts to its logout route. The token itself never reaches the page (docs/security.md)."""
    if COOKIE_KEY not in st.session_state:
        return
    ticket = st.session_state.pop(COOKIE_KEY)
    if not auth_routes.mounted() or (ticket and not sessions.well_formed(ticket)):
        return  # no route in this process; never anything but our URL-safe base64 into a script
    path = auth_routes.SESSION_PATH if ticket else auth_routes.LOGOUT_PATH
    body = f", body: {ticket!r}, headers: {{'Content-Type': 'text/plain'}}" if ticket else ""
    st.html(f"<script>fetch({path!r}, {{method: 'POST', credentials: 'same-origin', cache: 'no-store'{body}}})"
            ".catch(function () {});</script>", unsafe_allow_javascript=True)


def _forget_login(notice: str | None = None) -> None:
    """This browser session is signed out: the keys cleared, the cookie cleared on the next screen."""
    for key in PRESET_KEYS:
        st.session_state.pop(key, None)
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[USER_KEY] = None
    st.session_state[LOGIN_RECORDED_KEY] = None
    st.session_state[COOKIE_KEY] = ""
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _preset_session(db: Database) -> str | None:
    """A session signed in by server code (see the module docstring): a server session for it."""
    if st.session_state.get("authentication_status") is not True or not st.session_state.get("username"):
        return None
    user = users.get(db, str(st.session_state["username"]))
    for key in PRESET_KEYS:
        st.session_state.pop(key, None)
    if user is None or not user["active"]:
        return None
    token = sessions.open_session(db, user["id"])
    st.session_state[SESSION_KEY] = token
    return token


def restore_session() -> dict | None:
    """The signed-in user of this session, without rendering anything: from this session's token
    (checked on every run, so a logout elsewhere, a password change, a deactivation or the idle
    timeout ends it at the next click), or from the login cookie after a reload, a typed URL or a
    new tab. A restored session is not a new login: the audit log records a login only when the
    login form was submitted (csm.org.users.authenticate).

    Nothing may be rendered before st.navigation in such a run (a reload would land on the
    default page)."""
    init_state()
    db = get_db()
    token = st.session_state.get(SESSION_KEY) or _preset_session(db)
    if token:
        user = sessions.resume(db, token)
        if user is None:
            _forget_login("login.session_ended")
            return None
        return _signed_in(db, user)
    raw = _cookie_token()
    if raw:
        user = sessions.resume(db, raw)
        if user is not None:
            st.session_state[SESSION_KEY] = raw
            return _signed_in(db, user)
        st.session_state[COOKIE_KEY] = ""  # a cookie that no longer counts: cleared on the login screen
    return None


_this_run = threading.local()  # the user restore_session checked in the script run on this thread


def end_run() -> None:
    """From app.py after the page ran: the next run checks the session again."""
    _this_run.user = None


def _signed_in(db: Database, user: dict) -> dict:
    username = user["username"]
    if st.session_state.get(LOGIN_RECORDED_KEY) != username:
        st.session_state[LOGIN_RECORDED_KEY] = username
        i18n.set_lang(user["lang"])
    user = {k: v for k, v in user.items() if k != "password_hash"}
    st.session_state[USER_KEY] = user
    _this_run.user = user
    return user


def _live_user() -> dict | None:
    """The session's user if its server session is still usable (a page may run without app.py:
    a script of pages/ reached directly), re-read so that a role or scope change applies."""
    token = st.session_state.get(SESSION_KEY)
    if not st.session_state.get(USER_KEY) or not token:
        return None
    checked = getattr(_this_run, "user", None)
    if checked is not None and checked is st.session_state.get(USER_KEY):
        return checked  # app.py's restore_session checked the session in this very run
    user = sessions.resume(get_db(), token)
    if user is None:
        _forget_login("login.session_ended")
        return None
    return _signed_in(get_db(), user)


def renew_session(user: dict) -> None:
    """After the user changed the password (which ended every session of the user): a new
    session for this browser, its cookie written now."""
    st.session_state[SESSION_KEY] = _new_session(get_db(), user["id"])
    _apply_cookie()


def _logout() -> None:
    db = get_db()
    sessions.revoke(db, st.session_state.get(SESSION_KEY), "logout")
    user = st.session_state.get(USER_KEY)
    if user:
        users.record_logout(db, user["username"])
    _forget_login()


def login() -> dict | None:
    """The login screen until the form signs a user in (then a rerun into the app); None here."""
    init_state()
    db = get_db()
    _apply_cookie()
    st.title(t("app.title"))
    st.caption(t("app.tagline"))
    _language_picker("login.lang")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(t(notice))
    with st.form("csm.login", clear_on_submit=False):
        st.subheader(t("login.form"))
        username = st.text_input(t("login.username"), key="login.username", max_chars=64,
                                 autocomplete="username")
        password = st.text_input(t("login.password"), type="password", key="login.password",
                                 max_chars=128, autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if not submitted:
        if not notice:
            st.info(t("login.hint"))
        return None
    result = users.authenticate(db, username, password)
    if result.outcome == "locked":
        st.error(t("login.locked", minutes=result.minutes))
        return None
    if result.outcome == "inactive":
        st.error(t("login.inactive"))
        return None
    if result.outcome != "ok":
        st.error(t("login.failed"))
        return None
    user = result.user
    picked = st.session_state.get("login.lang")  # chosen on the login screen just now
    if st.session_state.get(LANG_CHOSEN_KEY) and picked in i18n.LANGS and picked != user["lang"]:
        users.set_lang(db, user["username"], picked)
    st.session_state[SESSION_KEY] = _new_session(db, user["id"])
    st.session_state[LOGIN_RECORDED_KEY] = None
    st.rerun()


def password_gate(user: dict) -> bool:
    """Production mode: a user flagged to change the password (csm.org.users.must_change_now) sees
    only this form until it is changed; True while it is shown (app.py stops there)."""
    from csm.org import commands

    db, actor = acting(user)
    if not users.must_change_now(db, user):
        return False
    _apply_cookie()
    st.title(t("account.must_change.title"))
    st.warning(t("account.must_change.text"))
    with st.form("csm.must_change", clear_on_submit=False):
        old = st.text_input(t("field.old_password"), type="password", key="must_change.old")
        new = st.text_input(t("field.new_password"), type="password", key="must_change.new")
        confirm = st.text_input(t("field.confirm_password"), type="password", key="must_change.confirm")
        save = st.form_submit_button(t("common.save"), type="primary")
    st.button(t("logout"), key="csm.logout", on_click=_logout)
    if save:
        try:
            commands.change_password(db, actor, old, new, confirm)
        except UserError as exc:
            show_error(exc)
            return True
        st.session_state[SESSION_KEY] = _new_session(db, user["id"])
        st.rerun()
    return True


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
    from csm.web import cache

    try:  # per user, data version and minute (csm.web.cache.live): not a scan of the inbox every rerun
        return cache.live(reads.inbox_count, *acting(user))
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


def sidebar(user: dict) -> None:
    db = get_db()
    with st.sidebar:
        st.caption(plain_t("sidebar.signed_in_as", name=user["display_name"],  # typed names: plain
                           role=t(f"role.{user['role']}")))
        st.caption(plain_t("sidebar.scope", scope=describe(db, Scope.of(user))))
        st.button(t("logout"), key="csm.logout", on_click=_logout)
        _apply_cookie()


# ---- pages -------------------------------------------------------------------------------
def guard(page_id: str) -> dict:
    """Every page starts here: title, and a refusal (no data) for a role without access."""
    init_state()
    spec = BY_ID[page_id]
    user = _live_user()
    if not user:
        _apply_cookie()  # a logout or an ended session: the cookie cleared here too
        st.error(t("error.not_logged_in"))
        st.stop()
    if users.must_change_now(get_db(), user):  # production mode: the password first (app.py's gate)
        st.error(t("account.must_change.text"))
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


TABLE_ROWS = 200  # rows a styled table shows at once; the export has them all


def red_rows(frame, mask, label: str | None = None):
    """(the table with the overdue rows flagged, its column_config): a first column whose cell
    is a red label (`label`, default "overdue") on the rows where `mask` is true and empty on
    the others; empty cells blank, never 'None'. Not a pandas Styler: styling even one row makes
    Streamlit translate every cell of the table (~100 ms a rerun for 200 rows × 10 columns)."""
    import numpy as np

    from csm import fmt

    frame = fmt.blank_missing(frame)
    flags = np.asarray(list(mask), dtype=bool)
    text = label or t("field.overdue")
    column = t("field.overdue")
    frame.insert(0, column, [[text] if f else [] for f in flags])  # blank_missing made a copy
    return frame, {column: st.column_config.MultiselectColumn(column, options=[text], color="red", width=56)}


def overdue_table(frame, mask, label: str | None = None, column_config: dict | None = None, **kwargs):
    """st.dataframe of `frame` with the overdue rows flagged in red (red_rows); returns its event."""
    flagged, config = red_rows(frame, mask, label)
    return st.dataframe(flagged, column_config={**config, **(column_config or {})}, **kwargs)


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
    if isinstance(exc, ValidationFailed):  # messages name typed values and cells: shown as plain text
        st.error(plain(exc.message()) + "\n\n" + "\n".join(f"- {plain(m)}" for m in exc.messages()))
    elif isinstance(exc, UserError):
        st.error(plain(exc.message()))
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
IMPORT_PHASES = import_progress_phases.PHASES  # read, check, plan, save (csm/importing/progress.py)


class import_progress:  # noqa: N801 - used as a context manager, like st.status
    """`with ui.import_progress(upload.name) as progress: domain.import_file(..., progress=progress)`:
    a st.status box with a progress bar the importer moves (phase, done, total); it ends green
    when the import finished and red when it was refused (the refusal is shown by show_error)."""

    def __init__(self, file_name: str):
        self.status = st.status(t("import.status.running", name=file_name), expanded=True)
        self.bar = self.status.progress(0.0, text=t("import.progress.read", done=0, total="…"))

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.bar.progress(min(import_progress_phases.fraction(phase, done, total), 1.0),
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


# ---- exports: the two download buttons of every list and report (csm.exports) -------------------
QUICK_ROWS = 1000  # up to this many rows the files are made on click (well under a second)


def downloads(key: str, build, rows: int | None = None, choice=None, container=None, stem: str | None = None) -> None:
    """Excel and CSV buttons of one export. build() -> csm.exports.Table (built by csm.exports,
    written by csm.excel: the same rows and figures as shown, formula-like text escaped).
    `rows`: how many rows the export will have when the page knows it. Up to QUICK_ROWS the files
    are made on click; more (or unknown) and a button first makes both files in a progress box
    (reading, writing Excel, writing CSV), then the two downloads. `choice`: what the page shows
    (its filters), so a file made for another choice is never offered. `stem`: the file name
    without extension (default: the key's first part)."""
    from csm import exports
    from csm.web.progress import export_progress

    place = container or st
    lang, tz = i18n.current_lang(), get_db().timezone  # the click runs outside this script run
    stem = stem or key.split(".")[0]
    if rows is not None and rows <= QUICK_ROWS:
        c1 = c2 = place.container(horizontal=True, gap="small")  # side by side, at the left
        c1.download_button(t("export.xlsx"), key=f"{key}.xlsx", help=t("export.xlsx_help"),
                           data=lambda: _export_file(build, "xlsx", lang, tz), file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        c2.download_button(t("export.csv"), key=f"{key}.csv", help=t("export.csv_help"),
                           data=lambda: _export_file(build, "csv", lang, tz), file_name=f"{stem}.csv",
                           mime="text/csv")
        return
    state_key = f"{key}.files"
    if place.button(t("export.prepare"), key=f"{key}.prepare", help=t("export.prepare_help")):
        try:
            with export_progress() as step:
                step("read")
                table = build()
                n = len(table)
                step("write", n=n)
                xlsx = exports.write(table, "xlsx", tz, step.moving(0.1, 0.85, n))
                csv = exports.write(table, "csv", tz, step.moving(0.85, 1.0, n, "export.step.csv"))
                step.done(exports.file_name(table, "xlsx"), n)
            st.session_state[state_key] = {"choice": repr(choice), "xlsx": xlsx, "csv": csv}
        except UserError as exc:
            show_error(exc)
    made = st.session_state.get(state_key)
    if made and made["choice"] == repr(choice):
        c1 = c2 = place.container(horizontal=True, gap="small")  # side by side, at the left
        c1.download_button(t("export.xlsx"), data=made["xlsx"], file_name=f"{stem}.xlsx", key=f"{key}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        c2.download_button(t("export.csv"), data=made["csv"], file_name=f"{stem}.csv", key=f"{key}.csv",
                           mime="text/csv")


def _export_file(build, kind: str, lang: str, tz: str) -> bytes:
    """One file made on click (outside the page's run: language and zone are handed in)."""
    from csm import exports

    with i18n.speaking(lang):
        return exports.write(build(), kind, tz)
