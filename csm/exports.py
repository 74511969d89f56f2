"""Every export of the product, by name: the table a list or report downloads (the page's buttons
through csm.web.ui.downloads, and `python -m csm export NAME` for scheduled jobs), built from the
capabilities' own reads (so scope and rights are the actor's) and written by the one writer
(csm.excel: Excel and CSV, formula-like text escaped).

Like csm/flows.py this module sits above the capabilities (it may call several); it holds no SQL
of its own but the scope lookup of the command line. A head-office viewer (group scope) never gets
a resident's name, phone or typed unit: those columns are left out and typed texts have their
digits masked (csm.privacy).

Each export takes a Request: the period (`first`..`last`, days in the company's zone, both
included) and the page's own choices (filters, wave, level...). What the period filters is said
per export in EXPORTS (`period`): None means the list is a state "now" and the period is unused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from csm import privacy

if TYPE_CHECKING:  # the command line's parser lists the names without loading pandas or the engine
    import pandas as pd

    from csm.actor import Actor
    from csm.db import Database
from csm.i18n import label, labels, speaking, t


@dataclass(frozen=True)
class Request:
    """What one export is asked for. `first`/`last`: the period (None: the export's default);
    `options`: the page's choices (see each export)."""
    first: date | None = None
    last: date | None = None
    options: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.options.get(key, default)


@dataclass
class Table:
    """An export's rows (columns by id), headers (id -> text in the user's language, in order),
    sheet name, file stem, and the rows to paint red in Excel."""
    frame: pd.DataFrame
    headers: dict[str, str]
    sheet: str
    stem: str
    red_rows: pd.Series | None = None

    def __len__(self) -> int:
        return len(self.frame)


def write(table: Table, kind: str, tz: str, progress=None) -> bytes:
    """The file of one export: "xlsx" or "csv" (csm.excel, the one writer); progress(done, total)."""
    from csm import excel
    from csm.errors import UserError

    if kind == "xlsx" and len(table) > excel.XLSX_MAX_ROWS:
        raise UserError("export.error.too_many_rows", n=excel.XLSX_MAX_ROWS)
    return excel.write(kind, table.frame, table.headers, table.sheet, red_rows=table.red_rows, tz=tz,
                       progress=progress)


def file_name(table: Table, kind: str) -> str:
    return f"{table.stem}.{kind}"


def _private(actor: Actor, frame: pd.DataFrame, headers: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """At group scope: resident columns dropped, typed texts' digits masked (csm.privacy)."""
    if not privacy.group_view(actor):
        return frame, headers
    headers = {k: v for k, v in headers.items() if k not in privacy.RESIDENT_COLUMNS}
    texts = [c for c in privacy.FREE_TEXT_COLUMNS if c in frame.columns and c in headers]
    if texts:
        frame = frame.assign(**{c: privacy.redact_column(frame[c]) for c in texts})
    return frame, headers


def _period(actor: Actor, req: Request) -> tuple[date, date]:
    """The period asked, or this month to today."""
    today = actor.today()
    return req.first or today.replace(day=1), req.last or today


def _stamp(first: date | None, last: date | None) -> str:
    return f"_{first.isoformat()}_{last.isoformat()}" if first and last else ""


# ---- the lists ------------------------------------------------------------------------------------
def complaints(db: Database, actor: Actor, req: Request) -> Table:
    """The desk's worklist, every row of its filters (options: filters = csm.complaints.Filters;
    the period narrows the day of receipt when the filters give none)."""
    from csm import complaints as cap
    from csm import sla, status
    from csm.complaints import reads

    en = actor.lang == "en"
    filters = req.get("filters") or reads.Filters()
    if req.first or req.last:
        filters = reads.Filters(**{**filters.__dict__, "date_from": filters.date_from or req.first,
                                   "date_to": filters.date_to or req.last})
    full = reads.worklist_export(db, actor, filters, req.get("now") or actor.now())
    if len(full) >= reads.EXPORT_MAX:  # never a silently cut file
        from csm.errors import UserError

        raise UserError("export.error.too_many_rows", n=len(full) - 1)
    headers = {"code": t("field.code"), "status": t("field.status"), "grade": t("field.grade"),
               "urgency": t("field.urgency"), "project": t("field.project"), "unit_text": t("field.unit"),
               "complainant_name": t("field.complainant"), "phone": t("field.phone"),
               "category": t("field.category"), "department": t("field.department"),
               "assignee": t("field.complaint_assignee"), "received_at": t("field.received_at"),
               "resolve_due_at": t("field.resolve_due_at"), "escalation_level": t("field.escalation"),
               "summary": t("field.summary")}
    names = {s: label(s, "status") for s in status.STATUSES}
    grades = {g: label(g, "grade") for g in sla.GRADES}
    urgencies = {u: label(u, "urgency") for u in sla.URGENCIES}
    levels = {lv: label(lv, "owner_level") for lv in cap.OWNER_LEVELS}
    frame = full.assign(
        status=full["status"].map(names), grade=full["grade"].map(grades), urgency=full["urgency"].map(urgencies),
        category=full["category_en" if en else "category"], department=full["department_en" if en else "department"],
        escalation_level=full["escalation_level"].map(lambda v: "" if v == "project" else levels.get(v, v)))
    frame, headers = _private(actor, frame, headers)
    return Table(frame, headers, "投诉" if not en else "Complaints", "complaints" + _stamp(req.first, req.last),
                 red_rows=full["overdue"])


def revisits(db: Database, actor: Actor, req: Request) -> Table:
    """The revisit queue of the filters (options: filters = csm.revisits.reads.Filters), all its
    rows; a state now (the period is unused)."""
    from csm.revisits import reads

    queue = reads.tasks(db, actor, req.get("filters") or reads.Filters(), limit=EXPORT_MAX)
    headers = {"id": "#", "kind": t("field.kind"), "project": t("field.project"), "unit_text": t("field.unit"),
               "contact_name": t("field.contact_name"), "contact_phone": t("field.phone"),
               "event_at": t("field.event_at"), "due_at": t("field.due_at"), "assignee": t("field.assignee"),
               "failed_attempts": t("field.failed_attempts")}
    frame = queue.assign(kind=labels(queue["kind"], "revisit_kind"))
    frame, headers = _private(actor, frame, headers)
    return Table(frame, headers, "回访" if actor.lang != "en" else "Revisits", "revisits", red_rows=queue["overdue"])


def service_records(db: Database, actor: Actor, req: Request) -> Table:
    """The service-records list of the filters (options: project_id, service_type; limit: the newest
    that many, for the page's table) for the period of completion, every row; at group scope the resident's columns are left out (csm/privacy.py)."""
    from csm.revisits import reads

    first, last = _period(actor, req)
    rows = reads.service_list(db, actor, first, last, req.get("project_id"), req.get("service_type"),
                              limit=req.get("limit") or reads.SERVICE_LIST_MAX)
    en = actor.lang == "en"
    headers = {"id": "#", "completed_at": t("field.completed_at"), "project": t("field.project"),
               "unit_text": t("field.unit"), "resident_name": t("field.resident_name"),
               "resident_phone": t("field.phone"), "service_type": t("field.service_type"),
               "department": t("field.department"), "completed_by": t("field.completed_by"),
               "description": t("field.description"), "external_ref": t("field.external_ref"),
               "revisit_status": t("service_list.col.revisit")}
    frame = rows.assign(
        service_type=labels(rows["service_type"], "service_type"),
        department=rows["department_en"].where(rows["department_en"].notna(), rows["department"]) if en
        else rows["department"],
        revisit_status=labels(rows["revisit_status"], "service_list.revisit").replace("", t("service_list.revisit.none")))
    frame, headers = _private(actor, frame, headers)
    return Table(frame, headers, t("service_list.sheet"), "service_records" + _stamp(first, last))


def residents(db: Database, actor: Actor, req: Request) -> Table:
    """The residents list of the search (options: q, project_id), every row; a state now."""
    import pandas as pd

    from csm.org import reads

    df = reads.residents(db, actor, req.get("q"), req.get("project_id"), limit=EXPORT_MAX)
    headers = {"branch": t("field.branch"), "project": t("field.project"), "building": t("field.building"),
               "unit": t("field.unit"), "name": t("field.resident_name"), "relation": t("field.relation"),
               "phone": t("field.phone"), "moved_in_on": t("field.moved_in_on")}
    frame = df.assign(relation=labels(df["relation"], "relation"),
                      moved_in_on=pd.to_datetime(df["moved_in_on"]).dt.date)  # a day, not a midnight
    if privacy.group_view(actor):  # the register's unit stays; the resident's name and phone do not
        headers = {k: v for k, v in headers.items() if k not in ("name", "phone")}
    return Table(frame, headers, "住户" if actor.lang != "en" else "Residents", "residents")


def survey_waves(db: Database, actor: Actor, req: Request) -> Table:
    """The survey waves list (forms issued and returned within the scope); the period keeps the
    waves that overlap it when one is given."""
    import pandas as pd

    from csm.surveys import reads

    waves = reads.waves(db, actor)
    if req.first or req.last:
        first, last = req.first or date.min, req.last or date.max
        waves = waves[(pd.to_datetime(waves["starts_on"]).dt.date <= last)
                      & (pd.to_datetime(waves["ends_on"]).dt.date >= first)].reset_index(drop=True)
    headers = {"code": t("field.survey_wave_code"), "name": t("field.survey_wave_name"),
               "level": t("field.survey_level"), "status": t("field.survey_status"),
               "starts_on": t("field.survey_starts_on"), "ends_on": t("field.survey_ends_on"),
               "projects": t("survey.projects"), "forms_issued": t("field.survey_forms_issued"),
               "returned": t("survey.returned"), "return_rate": t("survey.return_rate") + " (%)",
               "created_by": t("survey.created_by"), "approved_by": t("survey.approved_by")}
    frame = waves.assign(level=labels(waves["level"], "survey_level"),
                         status=labels(waves["status"], "survey_status"),
                         starts_on=pd.to_datetime(waves["starts_on"]).dt.date,
                         ends_on=pd.to_datetime(waves["ends_on"]).dt.date,
                         return_rate=waves["return_rate"].map(_percent))
    return Table(frame, headers, "调查批次" if actor.lang != "en" else "Waves", "survey_waves")


def survey_forms(db: Database, actor: Actor, req: Request) -> Table:
    """The returned forms of a wave (options: wave_id — default the latest wave in scope —,
    project_id, item_key as on the analysis page's forms view); the period is unused."""
    import pandas as pd

    from csm.surveys import reads

    wave_id = _wave(db, actor, req)
    forms = reads.forms_behind(db, actor, wave_id, req.get("project_id"), req.get("item_key"), EXPORT_MAX)
    headers = {"id": "#", "branch": t("field.branch"), "project": t("field.project"),
               "unit_text": t("field.unit"), "form_no": t("field.survey_form_no"),
               "source": t("survey.source"), "returned_on": t("field.survey_returned_on"),
               "n_unsatisfied": t("survey.n_unsatisfied"), "score": t("survey.score"),
               "revisit_task_id": t("survey.revisit_task"), "revisit_status": t("survey.revisit_status")}
    frame = forms.assign(source=labels(forms["source"], "survey_source"),
                         returned_on=pd.to_datetime(forms["returned_on"]).dt.date,
                         revisit_status=forms["revisit_status"].map(
                             lambda v: label(v, "survey_revisit") if isinstance(v, str) else None))
    frame, headers = _private(actor, frame, headers)
    return Table(frame, headers, "调查表" if actor.lang != "en" else "Forms", f"survey_forms_{_wave_code(db, actor, wave_id)}")


def survey_statistics(db: Database, actor: Actor, req: Request) -> Table:
    """顾客意见调查统计表 of a wave at one level (options: wave_id — default the latest —, level in
    branch | project | dimension | item, default item; first = a key listed first as the page
    highlights it); rates in percent, one decimal."""
    from csm.surveys import reads

    wave_id = _wave(db, actor, req)
    level = req.get("level") or "item"
    if level not in ("branch", "project", "dimension", "item"):
        raise ValueError(level)
    en = actor.lang == "en"
    names = {"branch": t("field.branch"), "project": t("field.project"), "dimension": t("survey.dimension"),
             "item": t("survey.item")}
    table = reads.satisfaction(db, actor, wave_id, level)
    headers = {"name": names[level], "forms": t("survey.forms"),
               "n_very_satisfied": label(4, "survey_rating"), "n_satisfied": label(3, "survey_rating"),
               "n_fairly_satisfied": label(2, "survey_rating"), "n_unsatisfied": label(1, "survey_rating"),
               "n_unrated": t("survey.unrated"), "satisfaction_rate": t("survey.satisfaction_rate") + " (%)"}
    if level == "item":
        headers = {"dimension_name": t("survey.dimension"), **headers}
    if level == "project":
        headers = {"branch": t("field.branch"), **headers}
    frame = table.assign(satisfaction_rate=table["satisfaction_rate"].map(_percent)) if not table.empty else table
    if req.get("first") is not None and "key" in frame:
        frame = frame.sort_values("key", key=lambda s: s != req.get("first"), kind="stable")
    if en and not frame.empty:
        frame = frame.assign(name=frame["name_en"].where(frame["name_en"].notna(), frame["name"]))
        if "dimension_name_en" in frame:
            frame = frame.assign(dimension_name=frame["dimension_name_en"].where(
                frame["dimension_name_en"].notna(), frame["dimension_name"]))
    return Table(frame, headers, "顾客意见调查统计表" if not en else "Survey statistics",
                 f"survey_statistics_{_wave_code(db, actor, wave_id)}_{level}")


def survey_actions(db: Database, actor: Actor, req: Request) -> Table:
    """Corrective actions (options: wave_id, status as the page's filters); a state now."""
    from csm import surveys
    from csm.surveys import reads

    acts = reads.actions(db, actor, req.get("wave_id"), req.get("status"))
    headers = {"id": "#", "wave_code": t("field.survey_wave"), "project": t("field.project"),
               "subject": t("field.survey_subject"), "problem": t("field.survey_action_problem"),
               "measure": t("field.survey_action_measure"), "owner": t("field.survey_action_owner"),
               "deadline": t("field.survey_action_deadline"), "status": t("field.survey_action_status"),
               "result": t("field.survey_action_result"), "rate_before": t("survey.actions.rate_before") + " (%)",
               "rate_after": t("survey.actions.rate_after") + " (%)"}
    names = {s: label(s, "survey_action_status") for s in surveys.ACTION_STATUSES}
    overdue = acts["overdue"].astype(bool)
    frame = acts.assign(status=acts["status"].map(names).where(~overdue, t("survey.actions.overdue")),
                        rate_before=acts["rate_before"].map(_percent), rate_after=acts["rate_after"].map(_percent))
    frame, headers = _private(actor, frame, headers)
    return Table(frame, headers, "整改" if actor.lang != "en" else "Actions", "survey_actions", red_rows=overdue)


# ---- dashboards and reports -------------------------------------------------------------------------
def dashboard(db: Database, actor: Actor, req: Request) -> Table:
    """The dashboard's indicator tiles for the period (options: scope, a narrower Scope; figures,
    the page's reads.indicators of that period and scope when already read): each indicator with
    its value, the previous period, the same period a year ago, unit and formula."""
    import pandas as pd

    from csm.dashboards import comparison, kpis, reads
    from csm.dashboards.kpis import Period

    first, last = _period(actor, req)
    figures = req.get("figures") or reads.indicators(db, actor, Period(first, last), req.get("scope"))
    units = {"count": t("export.unit.count"), "rate": "%", "hours": t("export.unit.hours"),
             "per100": t("export.unit.per100")}
    rows = [{"indicator": t(k.name_key), "value": comparison._number(k, figures["current"][k.key]),
             "previous": None if k.snapshot else comparison._number(k, figures["previous"][k.key]),
             "year_ago": None if k.snapshot else comparison._number(k, figures["year_ago"][k.key]),
             "unit": units[k.unit], "formula": t(k.formula_key)} for k in kpis.KPIS]
    headers = {"indicator": t("export.dash.indicator"), "value": t("export.dash.value"),
               "previous": t("export.dash.previous"), "year_ago": t("export.dash.year_ago"),
               "unit": t("export.dash.unit"), "formula": t("export.dash.formula")}
    return Table(pd.DataFrame(rows, columns=list(headers)), headers, t("export.dash.sheet"),
                 "dashboard" + _stamp(first, last))


def close_hours(db: Database, actor: Actor, req: Request) -> Table:
    """Hours to close per department for the period, as the dashboard shows them (options: scope,
    a narrower Scope): department, complaints closed, median and 90th percentile of the hours from
    receipt to closing, to one decimal (imported history in the period of its own closing)."""
    import pandas as pd

    from csm.dashboards import reads
    from csm.dashboards.kpis import Period

    first, last = _period(actor, req)
    rows = reads.close_hours_by_department(db, actor, Period(first, last), req.get("scope"))
    en = actor.lang == "en"
    headers = {"department": t("field.department"), "closed": t("close_hours.col.closed"),
               "close_p50": t("close_hours.col.p50"), "close_p90": t("close_hours.col.p90")}
    frame = pd.DataFrame([{
        "department": (r["department_en"] if en and r["department_en"] else r["department"]) or t("close_hours.none"),
        "closed": int(r["closed"]), "close_p50": _hours(r["close_p50"]), "close_p90": _hours(r["close_p90"])}
        for r in rows], columns=list(headers))
    return Table(frame, headers, t("close_hours.sheet"), "close_hours" + _stamp(first, last))


def _hours(v) -> float | None:
    return None if v is None or v != v else round(float(v), 1)


def comparison(db: Database, actor: Actor, req: Request) -> Table:
    """The league table exactly as shown (options: focus — default on_time_rate —, branch_id to
    drill into a branch's projects; league, the page's league of that period and branch when
    already read) for the period."""
    import pandas as pd

    from csm.dashboards import comparison as cmp
    from csm.dashboards.kpis import Period

    first, last = _period(actor, req)
    focus = req.get("focus") or "on_time_rate"
    if focus not in cmp.LEAGUE_KEYS:
        raise ValueError(focus)
    league = req.get("league") or cmp.league(db, actor, Period(first, last), req.get("branch_id") or None)
    rows, headers = cmp.table(league, focus)
    return Table(pd.DataFrame(rows), headers, t("cmp.sheet"), f"comparison_{focus}" + _stamp(first, last))


def monthly_summary(db: Database, actor: Actor, req: Request) -> Table:
    """月度投诉记录汇总表 for the period (options: scope)."""
    from csm.dashboards import exports
    from csm.dashboards.kpis import Period

    first, last = _period(actor, req)
    frame, headers = exports.monthly_summary(db, actor, Period(first, last), req.get("scope"))
    return Table(frame, headers, t("reports.kind.monthly")[:12], f"月度投诉记录汇总表_{first}_{last}")


def opinion_overview(db: Database, actor: Actor, req: Request) -> Table:
    """顾客意见处理情况一览表 of a wave (options: wave_id — default the latest —, scope)."""
    from csm.dashboards import exports

    wave_id = req.get("wave_id") or _wave(db, actor, req)
    frame, headers = exports.opinion_overview(db, actor, wave_id, req.get("scope"))
    return Table(frame, headers, t("reports.kind.opinion")[:12], f"顾客意见处理情况一览表_{_wave_code(db, actor, wave_id)}")


def audit(db: Database, actor: Actor, req: Request) -> Table:
    """The audit log of the period (options: who, action, entity as the page's filters), newest first."""
    from csm.admin import reads

    zone = ZoneInfo(actor.tz)
    first, last = req.first, req.last  # None: no bound (the page's empty period)
    rows = reads.audit_search(db, actor, req.get("who"), req.get("action"), req.get("entity"),
                              datetime.combine(first, time(0), zone) if first else None,
                              datetime.combine(last + timedelta(days=1), time(0), zone) if last else None,
                              limit=EXPORT_MAX)
    headers = {"at_time": t("admin.audit.at_time"), "actor": t("admin.audit.actor"),
               "action": t("admin.audit.action"), "entity": t("admin.audit.entity"),
               "entity_id": t("admin.audit.entity_id"), "before": t("admin.audit.before"),
               "after": t("admin.audit.after")}
    frame = rows.assign(action=labels(rows["action"], "admin.action"),
                        entity=labels(rows["entity"], "admin.entity"))
    return Table(frame, headers, t("admin.audit.sheet"), t("admin.audit.file") + _stamp(first, last))


def users(db: Database, actor: Actor, req: Request) -> Table:
    """The user list of the admin screen (no password hash); a state now."""
    from csm.admin import reads

    listing = reads.user_list(db, actor)
    frame = listing.assign(
        role=labels(listing["role"], "role"),
        scope=[t("scope.group") if k == "group" else t("scope.describe", kind=t(f"scope.{k}"), name=n or "?")
               for k, n in zip(listing["scope_kind"], listing["scope_name"], strict=True)],
        active=listing["active"].map(lambda v: t("common.yes") if v else t("common.no")),
        locked=listing["locked"].map(lambda v: t("common.yes") if v else t("common.no")))
    headers = {"username": t("field.username"), "display_name": t("field.display_name"), "role": t("field.role"),
               "scope": t("admin.users.scope"), "department": t("admin.users.department"),
               "active": t("admin.users.active"), "locked": t("admin.users.locked"),
               "failed_attempts": t("admin.users.failed"), "created_at": t("admin.users.created_at")}
    return Table(frame, headers, t("admin.users.list")[:31], "users")


# ---- helpers ----------------------------------------------------------------------------------------
EXPORT_MAX = 1_000_000  # no row cap below the size of the data (a million complaints fit)


def _percent(rate):
    """A rate 0..1 as a number in percent, one decimal (None stays empty)."""
    import pandas as pd

    if rate is None or pd.isna(rate):
        return None
    return round(float(rate) * 100, 1)


def _wave(db: Database, actor: Actor, req: Request) -> int:
    """The wave asked (options wave_id, or wave_code from the command line), else the latest one in
    the scope that has started."""
    from csm.errors import UserError
    from csm.surveys import reads

    if req.get("wave_id"):
        return int(req.get("wave_id"))
    waves = reads.waves(db, actor, with_drafts=False)
    code = req.get("wave_code")
    if code:
        hit = waves[waves["code"] == code]
        if hit.empty:
            raise UserError("export.error.no_wave", wave=code)
        return int(hit.iloc[0]["id"])
    if waves.empty:
        raise UserError("export.error.no_wave", wave="—")
    return int(waves.iloc[0]["id"])


def _wave_code(db: Database, actor: Actor, wave_id: int) -> str:
    from csm.surveys import reads

    return str(reads.wave(db, actor, wave_id)["code"])


@dataclass(frozen=True)
class Export:
    build: Callable[[Database, Actor, Request], Table]
    role: str           # the role of the command line's actor when no --user is given
    period: str | None  # what the period filters (None: a state now, the period is unused)


EXPORTS: dict[str, Export] = {
    "complaints": Export(complaints, "head_office", "day of receipt"),
    "revisits": Export(revisits, "manager", None),
    "residents": Export(residents, "head_office", None),
    "service_records": Export(service_records, "head_office", "time of completion"),
    "survey_waves": Export(survey_waves, "head_office", "waves overlapping it"),
    "survey_forms": Export(survey_forms, "head_office", None),
    "survey_statistics": Export(survey_statistics, "head_office", None),
    "survey_actions": Export(survey_actions, "head_office", None),
    "dashboard": Export(dashboard, "head_office", "the indicators' period"),
    "comparison": Export(comparison, "head_office", "the indicators' period"),
    "close_hours": Export(close_hours, "head_office", "time of closing"),
    "monthly_summary": Export(monthly_summary, "head_office", "day of receipt"),
    "opinion_overview": Export(opinion_overview, "head_office", None),
    "audit": Export(audit, "admin", "time of the entry"),
    "users": Export(users, "admin", None),
}
NAMES = tuple(EXPORTS)


def build(name: str, db: Database, actor: Actor, req: Request | None = None) -> Table:
    """The table of export `name` for the actor (its scope and rights) and the request, in the
    actor's language (also when built on click, outside the page's run)."""
    with speaking(actor.lang):
        return EXPORTS[name].build(db, actor, req or Request())


# ---- the command line's scope -------------------------------------------------------------------
def parse_scope(db: Database, text: str):
    """`group`, `branch:CODE` or `project:CODE` -> Scope (UserError naming what is wrong)."""
    from csm.errors import UserError
    from csm.org.scope import Scope

    kind, _, code = (text or "").partition(":")
    if kind == "group" and not code:
        return Scope("group")
    if kind not in ("branch", "project") or not code:
        raise UserError("export.error.scope", scope=text)
    found = db.value(f"org/{kind}_by_code", {"code": code})
    if found is None:
        raise UserError("export.error.scope_unknown", kind=t(f"scope.{kind}"), code=code)
    return Scope(kind, int(found))


def actor_for(db: Database, name: str, scope, username: str | None = None) -> Actor:
    """The command line's actor: the named user narrowed to `scope` (refused when the scope is
    outside the user's own), or — no user named — a scheduler actor of that scope with the role
    the export is made for (EXPORTS[name].role). Language zh, the company's clock."""
    from csm import policy
    from csm.actor import Actor
    from csm.errors import UserError
    from csm.org import users

    if username:
        user = users.get(db, username)
        if user is None or not user.get("active", True):
            raise UserError("export.error.user", user=username)
        own = Actor.of(user, tz=db.timezone)
        narrowed = policy.narrow(db, own, scope)
        return Actor(own.user_id, own.username, own.role, narrowed, lang=own.lang, tz=own.tz,
                     display_name=own.display_name)
    return Actor(None, "export", EXPORTS[name].role, scope, tz=db.timezone, display_name="export")
