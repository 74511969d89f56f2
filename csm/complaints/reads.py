"""Complaint reads: every query the intake form, the complaint desk and the home page show, named
for what it answers, as `fn(db, actor, ...)` guarded by its policy name (csm/policy.py). The
scope always comes from the actor; a record outside it is refused (PermissionDenied)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from csm import config, notes, period, policy, status
from csm.actor import Actor
from csm.complaints import steps
from csm.complaints.rules import Intake
from csm.db import Database
from csm.errors import PermissionDenied

PAGE = 200  # worklist rows a page
EXPORT_MAX = 1_048_576  # one more row than an Excel sheet holds: csm.exports refuses rather than cut (exports)


@dataclass(frozen=True)
class Filters:
    """The desk's filters; None (or False) is "all"."""
    status: str | None = None
    grade: str | None = None
    category_id: int | None = None  # first or second level
    department_id: int | None = None
    project_id: int | None = None
    assignee_id: int | None = None
    date_from: date | None = None  # days of receipt, both included, in the company's zone
    date_to: date | None = None
    text: str | None = None
    overdue_only: bool = False
    escalated_only: bool = False


def _params(db: Database, actor: Actor, f: Filters, now: datetime | None) -> dict:
    policy.require_project(db, actor, f.project_id)
    start = end = None
    if f.date_from is not None:
        start, end = period.range_bounds(actor.tz, f.date_from, f.date_to or f.date_from)
    return {**actor.params(), "now": now or actor.now(), "grade": f.grade, "category_id": f.category_id,
            "department_id": f.department_id, "project_id": f.project_id, "assignee_id": f.assignee_id,
            "date_from": start, "date_to": end, "text": (f.text or "").strip() or None,
            "escalated_only": bool(f.escalated_only), "status": f.status, "overdue_only": bool(f.overdue_only)}


def _visible(db: Database, actor: Actor, complaint_id: int) -> bool:
    """True if the actor's scope holds the complaint; False if there is no such complaint;
    PermissionDenied if it exists outside the scope."""
    if db.value("core/shell_complaint_in_scope", {"id": int(complaint_id), **actor.params()}):
        return True
    if db.one("complaints/row", {"id": int(complaint_id)}) is None:
        return False
    raise PermissionDenied()


# ---- the desk ------------------------------------------------------------------------------
@policy.guarded("complaints.desk_choices")
def desk_choices(db: Database, actor: Actor) -> dict[str, pd.DataFrame]:
    """What the desk's filters and forms offer: the scope's projects and staff, the category tree,
    the active departments."""
    return {"projects": db.df("org/projects_in_scope", actor.params()),
            "categories": db.df("complaints/categories_tree"),
            "departments": db.df("revisits/departments_active"),
            "staff": db.df("revisits/staff_in_scope", actor.params())}


@policy.guarded("complaints.worklist")
def worklist(db: Database, actor: Actor, filters: Filters = Filters(), page: int = 0, per_page: int = PAGE,
             now: datetime | None = None) -> tuple[pd.DataFrame, bool]:
    """(page `page` of the scope's filtered worklist, soonest due first; whether more follow)."""
    rows = db.df("complaints/worklist", {**_params(db, actor, filters, now), "limit": per_page + 1,
                                         "offset": max(page, 0) * per_page})
    return rows.head(per_page), len(rows) > per_page


@policy.guarded("complaints.worklist_export")
def worklist_export(db: Database, actor: Actor, filters: Filters = Filters(),
                    now: datetime | None = None) -> pd.DataFrame:
    """The whole filtered worklist (the desk's Excel export)."""
    return db.df("complaints/worklist", {**_params(db, actor, filters, now), "limit": EXPORT_MAX, "offset": 0})


@policy.guarded("complaints.status_counts")
def status_counts(db: Database, actor: Actor, filters: Filters = Filters(),
                  now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """{status: (complaints, overdue ones)} for every status, with the filters except status."""
    params = _params(db, actor, filters, now)
    del params["status"], params["overdue_only"]  # counted for every status, overdue or not
    frame = db.df("complaints/status_counts", params).set_index("status")
    return {s: (int(frame.loc[s, "n"]), int(frame.loc[s, "overdue"])) if s in frame.index else (0, 0)
            for s in status.STATUSES}


@policy.guarded("complaints.find_by_code")
def find_by_code(db: Database, actor: Actor, code: str) -> int | None:
    """The id of the complaint with this code in the actor's scope (None if none there)."""
    code = (code or "").strip().upper()
    return db.value("complaints/id_by_code", {"code": code, **actor.params()}) if code else None


@policy.guarded("complaints.complaint")
def complaint(db: Database, actor: Actor, complaint_id: int, now: datetime | None = None) -> dict | None:
    """One complaint with its names, the phone masked outside its project, and `actions`: what
    the status machine lets the actor's role do now. None if there is no such complaint."""
    if not _visible(db, actor, complaint_id):
        return None
    c = db.one("complaints/get", {"id": int(complaint_id), "now": now or actor.now(), **actor.params()})
    c["actions"] = status.allowed_actions(c["status"], actor.role, c["validity"])
    return c


@policy.guarded("complaints.attachments")
def attachments(db: Database, actor: Actor, complaint_id: int) -> list[dict]:
    """The complaint's files, each with `path` (where the bytes are stored)."""
    if not _visible(db, actor, complaint_id):
        return []
    rows = db.rows("complaints/attachments", {"complaint_id": int(complaint_id), **actor.params()})
    return [{**r, "path": config.uploads_dir() / r["stored_path"]} for r in rows]


@policy.guarded("complaints.timeline")
def timeline(db: Database, actor: Actor, complaint_id: int) -> pd.DataFrame:
    """History, handling, updates and revisit attempts, oldest first; system notes rendered in the
    reader's language; missing values as None."""
    if not _visible(db, actor, complaint_id):
        return pd.DataFrame()
    tl = db.df("complaints/timeline", {"complaint_id": int(complaint_id), **actor.params()})
    tl = tl.astype(object).where(tl.notna(), None)
    tl["content"] = tl["content"].map(notes.render)
    return tl


# ---- intake --------------------------------------------------------------------------------
@policy.guarded("complaints.intake_choices")
def intake_choices(db: Database, actor: Actor) -> dict[str, pd.DataFrame]:
    """What the register offers: the scope's projects, the active channels, the category tree."""
    return {"projects": db.df("org/projects_in_scope", actor.params()),
            "channels": db.df("complaints/channels_active"),
            "categories": db.df("complaints/categories_tree")}


@policy.guarded("complaints.units_of_project")
def units_of_project(db: Database, actor: Actor, project_id: int) -> pd.DataFrame:
    """The units of a project in the scope, with their current resident."""
    policy.require_project(db, actor, project_id)
    return db.df("complaints/units_of_project", {"project_id": project_id, **actor.params()})


@policy.guarded("complaints.duplicates")
def duplicates(db: Database, actor: Actor, c: Intake) -> pd.DataFrame:
    """Open complaints of the same unit and second-level category in the 30 days before receipt."""
    if c.project_id is None or c.category_id is None or (c.unit_id is None and not (c.unit_text or "").strip()):
        return db.df("complaints/duplicates", {"project_id": -1, "unit_id": None, "unit_text": None,
                                               "category_id": -1, "received_at": actor.now(), **actor.params()})
    policy.require_project(db, actor, c.project_id)
    return db.df("complaints/duplicates", {
        "project_id": c.project_id, "unit_id": c.unit_id, "unit_text": (c.unit_text or "").strip(),
        "category_id": c.category_id, "received_at": c.received_at or actor.now(), **actor.params()})


@policy.guarded("complaints.recent")
def recent(db: Database, actor: Actor, limit: int = 10) -> pd.DataFrame:
    """The latest complaints filed in the scope."""
    return db.df("complaints/recent", {**actor.params(), "limit": limit})


# ---- the inbox and the home page -----------------------------------------------------------
@policy.guarded("complaints.inbox")
def inbox_count(db: Database, actor: Actor, now: datetime | None = None) -> int:
    """How many items the actor's inbox holds (the menu's count); 0 for the administrator."""
    if actor.role == "admin":
        return 0
    return int(db.value("complaints/inbox_count", steps.inbox_params(actor, now)) or 0)


@policy.guarded("complaints.inbox")
def inbox_page(db: Database, actor: Actor, page: int = 0, per_page: int = steps.INBOX_PAGE,
               now: datetime | None = None) -> tuple[pd.DataFrame, int]:
    """(rows of page `page` (0-based) of the actor's inbox, the inbox's total), from one read."""
    if actor.role == "admin":
        return pd.DataFrame(), 0
    rows = db.df("complaints/inbox_items", {**steps.inbox_params(actor, now), "limit": per_page,
                                            "offset": max(page, 0) * per_page})
    if rows.empty and page > 0:  # the page ran past the end (items were done meanwhile): the last one
        total = inbox_count(db, actor, now)
        last = max((total - 1) // per_page, 0)
        return inbox_page(db, actor, last, per_page, now) if last < page else (rows, total)
    return rows, int(rows["total"].iloc[0]) if not rows.empty else 0


@policy.guarded("complaints.home_counts")
def home_counts(db: Database, actor: Actor) -> dict:
    """Branches, projects, units and residents in the actor's scope (the home page's figures)."""
    return db.one("org/counts", actor.params())
