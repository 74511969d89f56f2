"""Revisits (回访): every query the revisit queue and the service-record screen show, named for what
it answers. Each read checks the policy (csm.policy) and takes its scope from the actor; one task
outside the actor's scope is refused (PermissionDenied), a list holds only the actor's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from csm import period, policy
from csm.actor import Actor
from csm.db import Database
from csm.errors import PermissionDenied
from csm.revisits import importer
from csm.revisits.rules import BUCKETS


@dataclass(frozen=True)
class Filters:
    """What the queue is narrowed to; a project outside the actor's scope is refused."""
    bucket: str = "all"  # overdue | today | upcoming | all
    kind: str | None = None
    project_id: int | None = None
    assignee_id: int | None = None


def _queue_params(db: Database, actor: Actor, filters: Filters) -> dict:
    policy.require_project(db, actor, filters.project_id)
    now = actor.now()
    day_start, day_end = period.day_bounds(actor.tz, now)
    return {**actor.params(), "kind": filters.kind, "project_id": filters.project_id,
            "assignee_id": filters.assignee_id, "now": now, "day_start": day_start, "day_end": day_end}


@policy.guarded("revisits.queue")
def choices(db: Database, actor: Actor) -> dict:
    """What the queue's filters and the assign box offer: projects and staff in the actor's scope
    ({"projects": [{id, name, ...}], "staff": [{id, display_name, role}]})."""
    return {"projects": db.rows("org/projects_in_scope", actor.params()),
            "staff": db.rows("revisits/staff_in_scope", actor.params())}


@policy.guarded("revisits.queue")
def queue_counts(db: Database, actor: Actor, filters: Filters = Filters()) -> dict:
    """Open tasks: overdue, due today (company's day), upcoming, flagged after failed attempts."""
    return db.one("revisits/task_counts", _queue_params(db, actor, filters))


@policy.guarded("revisits.queue")
def tasks(db: Database, actor: Actor, filters: Filters = Filters(), limit: int = 200) -> pd.DataFrame:
    """Open tasks of the bucket, earliest due first (at most `limit`); phones masked outside the
    actor's own project; `overdue` and `flagged` per row."""
    bucket = filters.bucket if filters.bucket in BUCKETS else "all"
    return db.df("revisits/tasks", {**_queue_params(db, actor, filters), "bucket": bucket, "limit": limit})


def _scoped_task(db: Database, actor: Actor, task_id: int | None) -> dict | None:
    if task_id is None:
        return None
    row = db.one("revisits/task_detail", {"id": int(task_id), **actor.params()})
    if row is None and db.one("revisits/task_get", {"id": int(task_id)}) is not None:
        raise PermissionDenied()
    return row


@policy.guarded("revisits.task")
def task(db: Database, actor: Actor, task_id: int | None) -> dict | None:
    """One task with names for display and its version (None if there is no such task)."""
    return _scoped_task(db, actor, task_id)


@policy.guarded("revisits.task")
def attempts(db: Database, actor: Actor, task_id: int) -> pd.DataFrame:
    """The attempts recorded on one task, oldest first."""
    _scoped_task(db, actor, task_id)
    return db.df("revisits/attempts", {"task_id": int(task_id), **actor.params()})


@policy.guarded("revisits.indicators")
def indicators(db: Database, actor: Actor, period_start: datetime, period_end: datetime,
               kind: str | None = None, project_id: int | None = None, group_by: str = "all") -> list[dict]:
    """Revisit rate, on-time rate and satisfaction of the tasks due in [start, end) — one
    definition: queries/revisits/indicators.sql. One row per group (none if nothing was due)."""
    policy.require_project(db, actor, project_id)
    return db.rows("revisits/indicators", {**actor.params(), "period_start": period_start,
                                           "period_end": period_end, "kind": kind,
                                           "project_id": project_id, "group_by": group_by})


@policy.guarded("revisits.indicators")
def month_indicators(db: Database, actor: Actor) -> dict:
    """The indicators of this month (company's calendar) over the actor's scope ({} if none due)."""
    start, end = period.month_bounds(actor.tz, actor.now())
    rows = indicators(db, actor, start, end)
    return rows[0] if rows else {}


# ---- the service-record screen -------------------------------------------------------------
@policy.guarded("revisits.service_form")
def service_choices(db: Database, actor: Actor) -> dict:
    """What the service form offers: projects in the actor's scope and the active departments."""
    return {"projects": db.rows("org/projects_in_scope", actor.params()),
            "departments": db.rows("revisits/departments_active", {})}


@policy.guarded("revisits.service_form")
def service_due(db: Database, actor: Actor, service_record_id: int) -> datetime | None:
    """When the revisit of a service record falls due (None if it has none)."""
    row = db.one("revisits/due_for_service", {"service_record_id": int(service_record_id)})
    if row is None:
        return None
    policy.require_project(db, actor, row["project_id"])
    return row["due_at"]


@policy.guarded("revisits.service_form")
def import_template(db: Database, actor: Actor) -> bytes:
    """The Excel template of the service-record import (headers and one greyed sample row)."""
    return importer.template_xlsx()


# ---- the service-records list (issue 11, helper "import") ------------------------------------
SERVICE_LIST_MAX = 100_000


@policy.guarded("revisits.service_list")
def service_list(db: Database, actor: Actor, first: date, last: date, project_id: int | None = None,
                 service_type: str | None = None, limit: int = SERVICE_LIST_MAX) -> pd.DataFrame:
    """The service records completed between the days first and last (both included, the company's
    days) in the actor's scope, of a project (refused outside the scope) and type when given,
    newest first. Phones masked outside the owning project; at group scope (head office) the
    resident's name, phone and typed unit are left empty and the description's digits masked
    (csm/privacy.py)."""
    from csm import privacy

    policy.require_project(db, actor, project_id)
    start, end = period.range_bounds(actor.tz, first, last)
    rows = db.df("revisits/service_list", {**actor.params(), "project_id": project_id, "service_type": service_type,
                                           "period_start": start, "period_end": end, "limit": int(limit)})
    if privacy.group_view(actor):
        rows = rows.assign(unit_text=None, resident_name=None, resident_phone=None,
                           description=privacy.redact_column(rows["description"]))
    return rows


@policy.guarded("revisits.service_list")
def service_count(db: Database, actor: Actor, first: date, last: date, project_id: int | None = None,
                  service_type: str | None = None) -> int:
    """How many records service_list would give without its limit (the list's caption)."""
    policy.require_project(db, actor, project_id)
    start, end = period.range_bounds(actor.tz, first, last)
    return int(db.value("revisits/service_count", {**actor.params(), "project_id": project_id,
                                                   "service_type": service_type, "period_start": start,
                                                   "period_end": end}))
