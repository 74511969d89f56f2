"""Administration: the rules and saving of the organisation and reference grids and company settings.

Every admin grid (branches, projects, buildings, units, departments, categories, channels, time
limits, working calendars, calendar overrides) is described by one Grid. Its rules are pure
functions of the edited frame: validate_grid(...) returns every problem at once as RowErrors
naming the row and the field. save_grid(...) validates, then applies all inserts, updates and
deletions of the frame in one transaction with an audit row each, or nothing at all.

Shared rules: codes are required, unique (ignoring case) and never change once saved (other
modules and imports find rows by code); a row still referred to is never deleted: the refusal
names what uses it and deactivation is the way out. Only added or changed rows are checked row by
row, so old data never blocks an unrelated edit.

This module is internal to csm.admin: the screens call csm.admin.commands (guarded saves) and
csm.admin.reads; the Streamlit editor of the grids is csm.web.grid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from csm import audit, limits
from csm.db import Database, Tx, query_parameters
from csm.errors import ConflictError, UserError, ValidationFailed
from csm.i18n import t
from csm.sla import GRADES, URGENCIES

PROJECT_TYPES = ("residential", "commercial", "office", "mixed")
DEPARTMENT_LEVELS = ("project", "company")
CHANNEL_ORIGINS = ("resident", "company", "superior", "government")
OVERRIDE_KINDS = ("holiday", "workday")
WEEKDAYS = ("1", "2", "3", "4", "5", "6", "7")
ALL_BRANCHES = 0  # the override grid's choice for "every branch" (NULL in the table)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
CODE_MAX = 20
# Sanity ceilings of the time limits: beyond them a value is a typing slip, not a rule.
MAX_FORWARD_MINUTES = 1440
MAX_LIMIT_HOURS = 8760
SETTING_KEYS = ("company_name", "timezone", "lockout_attempts", "lockout_minutes",
                "survey.min_answered_items", "public_base_url", "dates.max_years")
# settings a caller may leave out (kept as stored): those added after the first settings form
OPTIONAL_SETTINGS = ("survey.min_answered_items", "public_base_url", "dates.max_years")
INT_SETTINGS = ("lockout_attempts", "lockout_minutes", "survey.min_answered_items", "dates.max_years")
MIN_ANSWERED_ITEMS = (1, 100)
MAX_YEARS = (1, 100)  # dates.max_years: how far from today a typed date may lie (csm.dates)
LOCKOUT_ATTEMPTS = (1, 20)
LOCKOUT_MINUTES = (1, 1440)


class RowError(UserError):
    """A problem in one row (1-based, as shown) and field of a grid, or a deleted row by its code."""

    def __init__(self, key: str, row: int | None = None, field: str | None = None, **params):
        super().__init__(key, field=field, **params)
        self.row = row

    def message(self) -> str:
        where = []
        if self.row is not None:
            where.append(t("admin.row", row=self.row))
        if self.field:
            where.append(t(f"admin.field.{self.field}"))
        text = t(self.key, **self.params)
        return t("admin.where_text", where=" · ".join(where), text=text) if where else text


# ---- cleaning the editor's values ---------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean(value: Any, kind: str) -> Any:
    """One cell as the rules see it. A value that cannot be read as its kind is returned as is,
    so that the rules can name it instead of it silently becoming empty."""
    if kind == "weekdays":
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        items = value.split(",") if isinstance(value, str) else list(value)
        days = sorted({str(x).strip() for x in items if str(x).strip()}, key=lambda d: (len(d), d))
        return ",".join(days) or None
    if _missing(value):
        return None
    if kind in ("text", "code"):
        return str(value).strip()
    if kind == "bool":
        return bool(value)
    if kind in ("int", "id"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                return value.strip()
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value
        return int(number) if number.is_integer() else number
    if kind == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    if kind == "time":
        if isinstance(value, datetime):
            return value.time().replace(microsecond=0)
        if isinstance(value, time):
            return value.replace(microsecond=0)
        try:
            return time.fromisoformat(str(value).strip())
        except ValueError:
            return str(value)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return str(value)
    raise ValueError(f"unknown cell kind {kind}")


# ---- what an edit changed --------------------------------------------------------------------
@dataclass
class Changes:
    """The edited frame against its base: rows carry _row (as numbered on screen) and id."""

    rows: list[dict]                                   # every row of the edited frame
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)   # (before, after)
    deleted: list[dict] = field(default_factory=list)

    @property
    def touched(self) -> list[dict]:
        return self.added + [after for _, after in self.changed]

    def __len__(self) -> int:
        return len(self.added) + len(self.changed) + len(self.deleted)


@dataclass(frozen=True)
class Grid:
    entity: str                         # audit entity, e.g. "branch"
    kinds: dict[str, str]               # saved column -> kind (text, code, int, id, bool, ...)
    list_query: str
    update: str
    insert: str | None = None           # None: a fixed set of rows (time limits, calendars)
    delete: str | None = None
    usage: str | None = None            # counts of what refers to a row; any > 0 refuses deletion
    defaults: dict[str, Any] = field(default_factory=dict)   # for cells left empty in new rows
    check: Callable[[Changes, dict], list[RowError]] | None = None
    label_field: str = "code"           # how a deleted row is named in messages
    deactivate: bool = True             # the refusal of a deletion suggests deactivation
    insert_late: Callable[[dict], bool] | None = None   # inserted after the updates (tree children)
    delete_first: Callable[[dict], bool] | None = None  # deleted before the others (tree children)


def _values(grid: Grid, record: dict, defaults: bool) -> dict:
    out = {}
    for col, kind in grid.kinds.items():
        v = clean(record.get(col), kind)
        if v is None and defaults and col in grid.defaults:
            v = grid.defaults[col]
        out[col] = v
    return out


def _row_id(value: Any) -> int | str | None:
    """A row's key: an integer id, or a text key such as 'general:urgent'; None for a new row."""
    v = clean(value, "id")
    return v if isinstance(v, int | str) else None


def diff(grid: Grid, base: pd.DataFrame, edited: pd.DataFrame) -> Changes:
    """Rows with an id found in the base are updates when a saved column differs; rows without one
    are new (unless left entirely empty); base rows missing from the edited frame are deletions."""
    before = {}
    for rec in base.to_dict("records"):
        before[_row_id(rec["id"])] = {"id": _row_id(rec["id"]), **_values(grid, rec, False)}
    changes = Changes(rows=[])
    seen = set()
    for n, rec in enumerate(edited.to_dict("records"), start=1):
        rid = _row_id(rec.get("id"))
        if rid is not None and rid in before:
            seen.add(rid)
            after = {"_row": n, "id": rid, **_values(grid, rec, False)}
            changes.rows.append(after)
            if any(after[c] != before[rid][c] for c in grid.kinds):
                changes.changed.append((before[rid], after))
        else:
            values = _values(grid, rec, False)
            if all(v is None or grid.defaults.get(c) == v for c, v in values.items()):
                continue  # a new row the user added and left empty (or only its defaults)
            after = {"_row": n, "id": None, **_values(grid, rec, True)}
            changes.rows.append(after)
            changes.added.append(after)
    changes.deleted = [b for rid, b in before.items() if rid not in seen]
    return changes


# ---- shared rules ----------------------------------------------------------------------------
def _err(row: dict | None, field_name: str | None, key: str, **params) -> RowError:
    return RowError(key, row=None if row is None else row.get("_row"), field=field_name, **params)


def _required(rows: list[dict], fields: tuple[str, ...]) -> list[RowError]:
    return [_err(r, f, "admin.error.required") for r in rows for f in fields if r.get(f) is None]


def _codes(changes: Changes, scope_label: str = "code", strict: bool = True) -> list[RowError]:
    """Codes: required, well-formed, unique among all rows (ignoring case), fixed once saved.
    Strict codes (branches, projects, reference data) are ASCII; building and unit codes are as
    the estate writes them (e.g. A座-301), any text up to the same length."""
    problems = []
    first_row: dict[str, int] = {}
    for r in changes.rows:
        code = r.get("code")
        if isinstance(code, str):
            first_row.setdefault(code.casefold(), r["_row"])
    for before, after in changes.changed:
        if before.get("code") != after.get("code"):
            problems.append(_err(after, "code", "admin.error.code_fixed", code=before.get("code")))
    fixed = {id(a) for b, a in changes.changed if b.get("code") != a.get("code")}
    for r in changes.touched:
        if id(r) in fixed:
            continue
        code = r.get("code")
        if code is None:
            problems.append(_err(r, scope_label, "admin.error.required"))
        elif len(code) > CODE_MAX:
            problems.append(_err(r, scope_label, "admin.error.too_long", n=CODE_MAX))
        elif strict and not CODE_RE.match(code):
            problems.append(_err(r, scope_label, "admin.error.code_format"))
        else:
            other = first_row[code.casefold()]
            if other == r["_row"]:
                other = next((x["_row"] for x in changes.rows if x is not r and isinstance(x.get("code"), str)
                              and x["code"].casefold() == code.casefold()), None)
            if other is not None:
                problems.append(_err(r, scope_label, "admin.error.duplicate", code=code, other=other))
    return problems


def _choice(rows: list[dict], field_name: str, allowed, required: bool = True) -> list[RowError]:
    problems = []
    for r in rows:
        v = r.get(field_name)
        if v is None:
            if required:
                problems.append(_err(r, field_name, "admin.error.required"))
        elif v not in allowed:
            problems.append(_err(r, field_name, "admin.error.choice"))
    return problems


def _integer(rows: list[dict], field_name: str, minimum: int | None = None, maximum: int | None = None,
             required: bool = False, positive: bool = False) -> list[RowError]:
    problems = []
    for r in rows:
        v = r.get(field_name)
        if v is None:
            if required:
                problems.append(_err(r, field_name, "admin.error.required"))
        elif not isinstance(v, int):
            problems.append(_err(r, field_name, "admin.error.positive_int" if positive
                                 else "admin.error.integer"))
        elif positive and v <= 0:
            problems.append(_err(r, field_name, "admin.error.positive_int"))
        elif minimum is not None and v < minimum:
            problems.append(_err(r, field_name, "admin.error.negative" if minimum == 0
                                 else "admin.error.min", min=minimum))
        elif maximum is not None and v > maximum:
            problems.append(_err(r, field_name, "admin.error.max", max=maximum))
    return problems


# ---- the rules of each grid ------------------------------------------------------------------
def _check_branches(ch: Changes, ref: dict) -> list[RowError]:
    return _codes(ch) + _required(ch.touched, ("name",))


def _check_projects(ch: Changes, ref: dict) -> list[RowError]:
    problems = _codes(ch) + _required(ch.touched, ("name",))
    for r in ch.touched:
        if r["branch_id"] is None:
            problems.append(_err(r, "branch_id", "admin.error.project_branch"))
        elif r["branch_id"] not in ref.get("branch_ids", ()):
            problems.append(_err(r, "branch_id", "admin.error.choice"))
    problems += _choice(ch.touched, "project_type", PROJECT_TYPES)
    problems += _integer(ch.touched, "households", minimum=0)
    return problems


def _check_buildings(ch: Changes, ref: dict) -> list[RowError]:
    return _codes(ch, strict=False) + _required(ch.touched, ("name",))


def _check_units(ch: Changes, ref: dict) -> list[RowError]:
    problems = _codes(ch, strict=False)
    for r in ch.touched:
        if r["building_id"] is None or r["building_id"] not in ref.get("building_ids", ()):
            problems.append(_err(r, "building_id", "admin.error.unit_building"))
    problems += _integer(ch.touched, "floor", minimum=-20, maximum=300)
    for r in ch.touched:
        area = r.get("area_m2")
        if area is not None and (not isinstance(area, float) or area <= 0):
            problems.append(_err(r, "area_m2", "admin.error.positive_number"))
    return problems


def _check_departments(ch: Changes, ref: dict) -> list[RowError]:
    return (_codes(ch) + _required(ch.touched, ("name", "name_en"))
            + _choice(ch.touched, "level", DEPARTMENT_LEVELS))


def _check_categories(ch: Changes, ref: dict) -> list[RowError]:
    """The tree has two levels: a parent is a first-level category present in the grid; a category
    with sub-categories cannot itself get a parent."""
    problems = _codes(ch) + _required(ch.touched, ("name", "name_en"))
    by_code = {r["code"].casefold(): r for r in ch.rows if isinstance(r.get("code"), str)}
    children = {r["parent"].casefold() for r in ch.rows if isinstance(r.get("parent"), str)}
    for r in ch.touched:
        parent = r.get("parent")
        if parent is None:
            continue
        target = by_code.get(parent.casefold())
        if isinstance(r.get("code"), str) and parent.casefold() == r["code"].casefold():
            problems.append(_err(r, "parent", "admin.error.parent_self"))
        elif target is None or target.get("parent") is not None:
            problems.append(_err(r, "parent", "admin.error.parent_not_top", parent=parent))
        elif isinstance(r.get("code"), str) and r["code"].casefold() in children:
            problems.append(_err(r, "parent", "admin.error.has_children"))
    for r in ch.touched:
        dept = r.get("default_department_id")
        if dept is not None and dept not in ref.get("department_ids", ()):
            problems.append(_err(r, "default_department_id", "admin.error.choice"))
    problems += _integer(ch.touched, "sort", minimum=0, maximum=100000)
    return problems


def _check_channels(ch: Changes, ref: dict) -> list[RowError]:
    return (_codes(ch) + _required(ch.touched, ("name", "name_en"))
            + _choice(ch.touched, "origin", CHANNEL_ORIGINS))


def _check_sla(ch: Changes, ref: dict) -> list[RowError]:
    problems = _choice(ch.touched, "grade", GRADES) + _choice(ch.touched, "urgency", URGENCIES)
    problems += _integer(ch.touched, "forward_minutes", required=True, positive=True,
                         maximum=MAX_FORWARD_MINUTES)
    for f in ("first_response_hours", "resolve_hours"):
        problems += _integer(ch.touched, f, required=True, positive=True, maximum=MAX_LIMIT_HOURS)
    bad = {(p.row, p.field) for p in problems}
    for r in ch.touched:
        first, resolve, forward = r["first_response_hours"], r["resolve_hours"], r["forward_minutes"]
        if (r["_row"], "first_response_hours") in bad:
            continue
        if (r["_row"], "resolve_hours") not in bad and first > resolve:
            problems.append(_err(r, "first_response_hours", "admin.error.first_after_resolve",
                                 first=first, resolve=resolve))
        if (r["_row"], "forward_minutes") not in bad and forward > first * 60:
            problems.append(_err(r, "forward_minutes", "admin.error.forward_after_first"))
    return problems


def _check_calendars(ch: Changes, ref: dict) -> list[RowError]:
    problems = []
    for r in ch.touched:
        start, end = r.get("work_start"), r.get("work_end")
        for f, v in (("work_start", start), ("work_end", end)):
            if v is None:
                problems.append(_err(r, f, "admin.error.required"))
            elif not isinstance(v, time):
                problems.append(_err(r, f, "admin.error.time"))
        if isinstance(start, time) and isinstance(end, time) and end <= start:
            problems.append(_err(r, "work_end", "admin.error.work_end"))
        days = r.get("weekdays")
        if days is None or any(d not in WEEKDAYS for d in days.split(",")):
            problems.append(_err(r, "weekdays", "admin.error.weekdays"))
    return problems


def _check_overrides(ch: Changes, ref: dict) -> list[RowError]:
    problems = _choice(ch.touched, "kind", OVERRIDE_KINDS)
    problems += _choice(ch.touched, "branch_id", (ALL_BRANCHES, *ref.get("branch_ids", ())))
    first: dict[tuple, int] = {}
    for r in ch.rows:
        if isinstance(r.get("day"), date):
            first.setdefault((r["branch_id"], r["day"]), r["_row"])
    for r in ch.touched:
        day = r.get("day")
        if day is None:
            problems.append(_err(r, "day", "admin.error.required"))
        elif not isinstance(day, date):
            problems.append(_err(r, "day", "admin.error.date"))
        else:
            other = first[(r["branch_id"], day)]
            if other == r["_row"]:
                other = next((x["_row"] for x in ch.rows if x is not r and x.get("day") == day
                              and x["branch_id"] == r["branch_id"]), None)
            if other is not None:
                problems.append(_err(r, "day", "admin.error.override_duplicate", day=day.isoformat(),
                                     other=other))
    return problems


# ---- the grids -------------------------------------------------------------------------------
BRANCHES = Grid(
    "branch", {"code": "code", "name": "text", "active": "bool"}, "admin/branches",
    update="admin/branch_update", insert="admin/branch_insert", delete="admin/branch_delete",
    usage="admin/branch_usage", defaults={"active": True}, check=_check_branches,
)
PROJECTS = Grid(
    "project",
    {"code": "code", "name": "text", "project_type": "text", "address": "text", "households": "int",
     "branch_id": "id", "active": "bool"},
    "admin/projects", update="admin/project_update", insert="admin/project_insert",
    delete="admin/project_delete", usage="admin/project_usage",
    defaults={"active": True, "project_type": "residential"}, check=_check_projects,
)
BUILDINGS = Grid(
    "building", {"code": "code", "name": "text"}, "admin/buildings", update="admin/building_update",
    insert="admin/building_insert", delete="admin/building_delete", usage="admin/building_usage",
    check=_check_buildings, deactivate=False,
)
UNITS = Grid(
    "unit", {"building_id": "id", "code": "code", "floor": "int", "area_m2": "float"}, "admin/units",
    update="admin/unit_update", insert="admin/unit_insert", delete="admin/unit_delete",
    usage="admin/unit_usage", check=_check_units, deactivate=False,
)
DEPARTMENTS = Grid(
    "department", {"code": "code", "name": "text", "name_en": "text", "level": "text", "active": "bool"},
    "admin/departments", update="admin/department_update", insert="admin/department_insert",
    delete="admin/department_delete", usage="admin/department_usage",
    defaults={"active": True, "level": "project"}, check=_check_departments,
)
CATEGORIES = Grid(
    "category",
    {"code": "code", "parent": "code", "name": "text", "name_en": "text", "default_department_id": "id",
     "sort": "int", "active": "bool"},
    "admin/categories", update="admin/category_update", insert="admin/category_insert",
    delete="admin/category_delete", usage="admin/category_usage",
    defaults={"active": True, "sort": 0}, check=_check_categories,
    insert_late=lambda r: r.get("parent") is not None,
    delete_first=lambda r: r.get("parent") is not None,
)
CHANNELS = Grid(
    "channel", {"code": "code", "name": "text", "name_en": "text", "origin": "text", "active": "bool"},
    "admin/channels", update="admin/channel_update", insert="admin/channel_insert",
    delete="admin/channel_delete", usage="admin/channel_usage",
    defaults={"active": True, "origin": "resident"}, check=_check_channels,
)
SLA = Grid(
    "sla_setting",
    {"grade": "text", "urgency": "text", "forward_minutes": "int", "first_response_hours": "int",
     "resolve_hours": "int"},
    "admin/sla_settings", update="admin/sla_upsert", check=_check_sla, label_field="id",
)
CALENDARS = Grid(
    "work_calendar",
    {"enabled": "bool", "work_start": "time", "work_end": "time", "weekdays": "weekdays",
     "use_chinese_holidays": "bool"},
    "admin/work_calendars", update="admin/work_calendar_upsert", check=_check_calendars,
    defaults={"enabled": True, "use_chinese_holidays": True}, label_field="id",
)
OVERRIDES = Grid(
    "calendar_override", {"branch_id": "id", "day": "date", "kind": "text", "note": "text"},
    "admin/calendar_overrides", update="admin/calendar_override_update",
    insert="admin/calendar_override_insert", delete="admin/calendar_override_delete",
    defaults={"branch_id": ALL_BRANCHES, "kind": "holiday"}, check=_check_overrides, label_field="day",
)


def reference(db_or_tx, grid: Grid, params: dict | None = None) -> dict:
    """What a grid's rules look values up in: existing branches, buildings, departments."""
    if grid is PROJECTS or grid is OVERRIDES:
        return {"branch_ids": {r["id"] for r in db_or_tx.rows("admin/branches")}}
    if grid is UNITS:
        return {"building_ids": {r["id"] for r in db_or_tx.rows("admin/buildings", params)}}
    if grid is CATEGORIES:
        return {"department_ids": {r["id"] for r in db_or_tx.rows("admin/departments")}}
    return {}


def validate_grid(grid: Grid, base: pd.DataFrame, edited: pd.DataFrame, ref: dict | None = None
                  ) -> list[RowError]:
    """Every problem of an edited frame (pure: `ref` holds the values looked up)."""
    changes = diff(grid, base, edited)
    problems = grid.check(changes, ref or {}) if grid.check else []
    return problems + _text_lengths(grid, changes)


def _text_lengths(grid: Grid, changes: Changes) -> list[RowError]:
    """A name, an address or a note typed into a grid is at most limits.TITLE characters."""
    return [_err(r, col, "input.error.too_long", limit=f"{limits.TITLE:,}", n=f"{len(r[col]):,}")
            for r in changes.touched for col, kind in grid.kinds.items()
            if kind == "text" and isinstance(r.get(col), str) and len(r[col]) > limits.TITLE]


def load_grid(db: Database, grid: Grid, params: dict | None = None) -> pd.DataFrame:
    """The frame an editor starts from: the list query, with weekdays as lists for the editor."""
    frame = db.df(grid.list_query, params)
    for col, kind in grid.kinds.items():
        if kind == "weekdays" and col in frame:
            frame[col] = frame[col].map(lambda v: [] if v is None else [d for d in str(v).split(",") if d])
    return frame


def _usage_text(usage: dict) -> str:
    return t("admin.usage.sep").join(t(f"admin.usage.{k}", n=int(v)) for k, v in usage.items() if v)


def _params(grid: Grid, statement: str, values: dict, extra: dict, tx: Tx) -> dict:
    """The grid row's fields the statement takes (an update does not take the id-like code, an
    insert not the id)."""
    p = {**extra, **{k: v for k, v in values.items() if not k.startswith("_")}}
    if grid is CATEGORIES:
        p["parent_id"] = (None if values["parent"] is None
                          else tx.value("admin/category_id_by_code", {"code": values["parent"]}))
    if grid is OVERRIDES and values["branch_id"] == ALL_BRANCHES:
        p["branch_id"] = None
    wanted = query_parameters(statement)
    return {k: v for k, v in p.items() if k in wanted}


def _audited(grid: Grid, values: dict, keys=None) -> dict:
    keys = keys or grid.kinds
    return {k: values[k] for k in keys}


def _move_project_records(tx: Tx, project_id: int, branch_id: int) -> None:
    """Tables copy a project's branch next to its project_id for scoped reads: a project moved to
    another branch takes its records along. Every such table (found in the catalog) has its named
    statement project_branch_move_<table>; a table added without one fails here and in the tests."""
    for (table,) in tx.execute("admin/tables_with_project_branch"):
        if table != "projects":
            tx.execute(f"admin/project_branch_move_{table}", {"branch_id": branch_id, "project_id": project_id})


def save_grid(db: Database, actor: str, grid: Grid, base: pd.DataFrame, edited: pd.DataFrame,
              params: dict | None = None) -> int:
    """Validate the whole edited frame, then apply it in one transaction; return the number of rows
    added, changed or deleted. Refusals: ValidationFailed (every problem), ConflictError (somebody
    changed or deleted the same rows since the grid was loaded)."""
    params = params or {}
    changes = diff(grid, base, edited)
    problems = grid.check(changes, reference(db, grid, params)) if grid.check else []
    problems += _text_lengths(grid, changes)
    if problems:
        raise ValidationFailed(problems)
    if not changes:
        return 0

    def work(tx: Tx) -> int:
        current = {r["id"]: {"id": r["id"], **_values(grid, r, False)}
                   for r in tx.rows(grid.list_query, params)}
        for before in [b for b, _ in changes.changed] + changes.deleted:
            now = current.get(before["id"])
            if now is None or any(now[c] != before[c] for c in grid.kinds):
                raise ConflictError()
        if "code" in grid.kinds:  # codes saved meanwhile by somebody else
            known = {b["id"] for b, _ in changes.changed} | {b["id"] for b in changes.deleted}
            known |= {r["id"] for r in changes.rows}
            taken = {r["code"].casefold() for rid, r in current.items() if rid not in known and r["code"]}
            late = [_err(r, "code", "admin.error.exists", code=r["code"]) for r in changes.added
                    if r["code"].casefold() in taken]
            if late:
                raise ValidationFailed(late)

        refused = []
        first = grid.delete_first or (lambda r: False)
        for before in sorted(changes.deleted, key=lambda r: not first(r)):
            if grid.usage:
                usage = tx.one(grid.usage, {"id": before["id"]}) or {}
                if any(usage.values()):
                    key = "admin.error.in_use" if grid.deactivate else "admin.error.in_use_delete"
                    refused.append(RowError(key, what=t(f"admin.entity.{grid.entity}"),
                                            code=before.get(grid.label_field, before["id"]),
                                            usage=_usage_text(usage)))
                    continue
            tx.execute(grid.delete, {"id": before["id"]})
            audit.record(tx, actor, "delete", grid.entity, before["id"], _audited(grid, before), None)
        if refused:
            raise ValidationFailed(refused)

        late = grid.insert_late or (lambda r: False)

        def insert(rows: list[dict]) -> None:
            for values in rows:
                new_id = tx.execute(grid.insert, _params(grid, grid.insert, values, params, tx))[0][0]
                audit.record(tx, actor, "create", grid.entity, new_id, None, _audited(grid, values))

        insert([r for r in changes.added if not late(r)])
        for before, after in changes.changed:
            tx.execute(grid.update, _params(grid, grid.update, after, params, tx))
            changed = [c for c in grid.kinds if before[c] != after[c]]
            named = [grid.label_field] if grid.label_field in grid.kinds else []
            audit.record(tx, actor, "update", grid.entity, before["id"],
                         _audited(grid, before, named + changed), _audited(grid, after, named + changed))
            if grid is PROJECTS and before["branch_id"] != after["branch_id"]:
                _move_project_records(tx, before["id"], after["branch_id"])
        insert([r for r in changes.added if late(r)])
        return len(changes)

    return db.transaction(work)


# ---- company settings ------------------------------------------------------------------------
def settings(db_or_tx) -> dict[str, str]:
    return {r["key"]: r["value"] for r in db_or_tx.rows("admin/settings")}


def validate_settings(values: dict) -> list[RowError]:
    problems = []
    if not str(values.get("company_name") or "").strip():
        problems.append(RowError("admin.error.required", field="company_name"))
    tz = str(values.get("timezone") or "").strip()
    try:
        if not tz:
            raise ZoneInfoNotFoundError(tz)
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(RowError("admin.error.timezone", field="timezone"))
    for key, (low, high) in (("lockout_attempts", LOCKOUT_ATTEMPTS), ("lockout_minutes", LOCKOUT_MINUTES),
                             ("survey.min_answered_items", MIN_ANSWERED_ITEMS),
                             ("dates.max_years", MAX_YEARS)):
        if key in OPTIONAL_SETTINGS and key not in values:
            continue
        v = clean(values.get(key), "int")
        if not isinstance(v, int) or not low <= v <= high:
            problems.append(RowError("admin.error.range", field=key, min=low, max=high))
    url = str(values.get("public_base_url") or "").strip()
    if url and (not re.match(r"^https?://[^\s/?#]+[^\s?#]*$", url)):
        problems.append(RowError("admin.error.url", field="public_base_url"))
    return problems


def save_settings(db: Database, actor: str, values: dict) -> int:
    """Store the changed company settings (one audit row each); apply a new time zone at once."""
    problems = validate_settings(values)
    if problems:
        raise ValidationFailed(problems)
    wanted = {k: str(clean(values[k], "int") if k in INT_SETTINGS else (values[k] or "")).strip()
              for k in SETTING_KEYS if k in values or k not in OPTIONAL_SETTINGS}
    if "public_base_url" in wanted:
        wanted["public_base_url"] = wanted["public_base_url"].rstrip("/")

    def work(tx: Tx) -> int:
        stored = settings(tx)
        changed = {k: v for k, v in wanted.items() if stored.get(k) != v}
        for key, value in changed.items():
            tx.execute("admin/setting_upsert", {"key": key, "value": value})
            audit.record(tx, actor, "update", "setting", key, {key: stored.get(key)}, {key: value})
        return len(changed)

    n = db.transaction(work)
    db.set_timezone(wanted["timezone"])
    return n
