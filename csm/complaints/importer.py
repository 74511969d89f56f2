"""The complaint-ledger target of the import mechanism (csm/importing/target.py): a legacy
投诉登记表, a 400/12345 hotline platform's or a work-order app's export becomes complaints with
their whole history (internal: the mechanism's page and CLI check the actor's right to import).

Rules of imported history (docs/domain.md, "Imported history"):
- a row keeps its own times (received, first response, resolved, closed, revisited) and is marked
  with the import batch, its source system and the system's ticket number (the natural key: the
  same file twice is "same"; a corrected row is an "update" with its history lines and what it
  overwrote kept for undo; a row the product changed since its import is refused);
- its code follows the product's rule for the year of receipt: TS-<year>-<n>, the numbers taken
  from that year's counter in one block in order of receipt, so live codes stay gap-free and
  unique; the ledger's own number stays as source_ref (undo gives the block back while it is
  still the last of its year, and refuses otherwise);
- no revisit task, no escalation, no inbox item and no follow-up is created for it: the events
  of the live commands are not emitted, the escalation flags are set (the old system's), the
  inbox leaves imported complaints out (migration 022). A revisit the ledger records becomes a
  done revisit (csm/flows.py, event complaint.imported_revisits), counted by the revisit KPIs;
- due times follow the limits for its grade and urgency from its received time, so the on-time
  rate and the hours KPIs count it in its own period.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import lru_cache

import pandas as pd

from csm import events, sla
from csm.complaints import rules
from csm.db import Tx
from csm.errors import UserError
from csm.i18n import t
from csm.importing.target import Choice, Field, Outcome
from csm.status import DONE_STATUSES, STATUSES

DEFAULT_SYSTEM = "ledger"          # the source system of a file that names none
DEFAULT_CHANNEL = "IMPORT"         # a ledger without a channel column (migration 022)
SATISFACTION = ("very_satisfied", "satisfied", "neutral", "unsatisfied")
LINE = "_line"

FIELDS: tuple[Field, ...] = (
    Field("source_system", "field.source_system", max_chars=50,
          aliases=("来源系统", "系统", "系统名称", "source system", "system", "source")),
    Field("source_ref", "field.source_ref", required=True, max_chars=100,
          aliases=("投诉编号", "工单号", "工单编号", "单号", "编号", "来源单号", "受理编号", "ticket", "ticket no",
                   "ticket number", "ticket id", "case no", "case id", "order no", "work order", "ref", "id")),
    Field("project", "field.project", required=True,
          aliases=("项目", "项目名称", "项目编号", "管理处", "服务中心", "小区", "project", "project code",
                   "project name", "site", "estate", "community", "property")),
    Field("building", "field.building", max_chars=100, aliases=("楼栋", "楼号", "栋", "building", "block", "tower")),
    Field("unit", "field.unit", max_chars=100, aliases=("房号", "单元房号", "房间号", "unit", "room", "flat", "apartment")),
    Field("complainant", "field.complainant", max_chars=100,
          aliases=("投诉人", "姓名", "客户姓名", "业主姓名", "联系人", "complainant", "name", "customer",
                   "caller", "reporter", "contact")),
    Field("phone", "field.phone", kind="phone",
          aliases=("联系电话", "电话", "手机", "手机号", "phone", "mobile", "tel", "telephone", "contact number")),
    Field("channel", "field.channel", kind="choice",
          aliases=("投诉渠道", "渠道", "投诉方式", "来源渠道", "channel", "via", "origin", "source channel")),
    Field("category", "field.category", kind="choice", required=True,
          aliases=("投诉类别", "类别", "分类", "二级分类", "投诉类型", "类型", "问题类型", "category", "type",
                   "issue type", "problem type")),
    Field("grade", "field.grade", kind="choice", aliases=("投诉级别", "级别", "分级", "等级", "grade", "level", "severity")),
    Field("validity", "field.validity", kind="choice", aliases=("投诉性质", "性质", "有效性", "validity", "nature")),
    Field("urgency", "field.urgency", kind="choice", aliases=("紧急程度", "紧急", "urgency", "priority")),
    Field("department", "field.department", kind="choice",
          aliases=("责任部门", "部门", "处理部门", "department", "dept", "team", "assigned team")),
    Field("description", "field.description", required=True,
          aliases=("投诉内容", "内容", "问题描述", "描述", "详情", "description", "details", "content", "issue",
                   "summary")),
    Field("received_at", "field.received_at", kind="datetime", required=True,
          aliases=("受理时间", "投诉时间", "登记时间", "来电时间", "接收时间", "received", "received at",
                   "created", "created at", "opened", "opened at", "open time")),
    Field("first_response_at", "field.first_response_at", kind="datetime",
          aliases=("首次响应时间", "响应时间", "首次回复时间", "first response", "first response at",
                   "responded at", "acknowledged at")),
    Field("resolved_at", "field.resolved_at", kind="datetime",
          aliases=("处理完成时间", "完成时间", "解决时间", "处理时间", "resolved", "resolved at", "solved at",
                   "completed at", "fixed at")),
    Field("closed_at", "field.closed_at", kind="datetime",
          aliases=("关闭时间", "结案时间", "办结时间", "closed", "closed at", "close time")),
    Field("revisited_at", "field.revisited_at", kind="datetime",
          aliases=("回访时间", "revisited", "revisited at", "follow-up at", "callback at")),
    Field("satisfaction", "field.satisfaction", kind="choice",
          aliases=("回访结果", "满意度", "回访满意度", "客户评价", "satisfaction", "rating", "csat")),
    Field("revisit_note", "field.revisit_note", aliases=("回访意见", "回访备注", "回访记录", "revisit note",
                                                          "follow-up note", "feedback")),
    Field("status", "field.status", kind="choice", aliases=("状态", "处理状态", "投诉状态", "status", "state")),
    Field("handler", "field.handler", max_chars=100,
          aliases=("处理人", "责任人", "经办人", "handler", "assignee", "handled by", "agent", "owner")),
    Field("result", "field.result", aliases=("处理结果", "处理情况", "result", "resolution", "outcome")),
)
KEYS = tuple(f.key for f in FIELDS)
TIMES = ("received_at", "first_response_at", "resolved_at", "closed_at", "revisited_at")
# what an update compares and writes a history line for (complaint column -> prepared key)
HISTORY = ("project_id", "status", "validity", "grade", "urgency", "department_id", "category_id",
           "channel_id", "received_at", "first_response_at", "resolved_at", "closed_at")


def _text(v) -> str | None:
    if type(v) is str:
        v = v.strip()
        return v or None
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    s = str(v).strip()
    return s or None


def _time(v) -> datetime | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


class _Lookup:
    """A choice field's values: the stored value itself, or a name / label in either language."""

    def __init__(self, pairs):
        self.by: dict[str, str] = {}
        for value, *names in pairs:
            for n in (value, *names):
                if n is not None:
                    self.by.setdefault(str(n).strip().lower(), str(value))

    def get(self, v) -> str | None:
        s = _text(v)
        return None if s is None else self.by.get(s.lower())


class _Calendar:
    """A branch's working calendar with its day windows remembered (100,000 rows ask the same days)."""

    def __init__(self, cal: sla.WorkCalendar):
        self.cal, self.tz, self.day_minutes = cal, cal.tz, cal.day_minutes
        self.window = lru_cache(maxsize=20000)(cal.window)


class ComplaintLedger:
    name = "complaints"
    label = "import.target.complaints"
    fields = FIELDS
    natural_key = ("source_system", "source_ref")

    # ---- value mapping ------------------------------------------------------------------------
    def choices(self, db, actor, field_key: str) -> list[Choice]:
        if field_key == "channel":
            return [Choice(r["code"], r["name"]) for r in db.rows("complaints/channels_active")]
        if field_key == "category":
            return [Choice(r["code"], f"{r['parent']} / {r['name']}") for r in db.rows("complaints/categories_tree")]
        if field_key == "department":
            return [Choice(r["code"], r["name"]) for r in db.rows("complaints/import_departments")]
        words = {"grade": ("grade", sla.GRADES), "validity": ("validity", rules.VALIDITY),
                 "urgency": ("urgency", sla.URGENCIES), "status": ("status", STATUSES),
                 "satisfaction": ("satisfaction", SATISFACTION)}
        if field_key in words:
            prefix, values = words[field_key]
            return [Choice(v, t(f"{prefix}.{v}")) for v in values]
        return []

    def _lookups(self, tx) -> dict[str, _Lookup]:
        from csm.i18n import catalog

        def labels(prefix, values):
            return [(v, *catalog()[f"{prefix}.{v}"]) for v in values]

        return {
            "channel": _Lookup((r["code"], r["id"], r["name"], r["name_en"]) for r in tx.rows("complaints/channels_active")),
            "category": _Lookup((r["code"], r["id"], r["name"], r["name_en"], f"{r['parent']} / {r['name']}",
                                 f"{r['parent']}/{r['name']}") for r in tx.rows("complaints/categories_tree")),
            "department": _Lookup((r["code"], r["id"], r["name"], r["name_en"])
                                  for r in tx.rows("complaints/import_departments")),
            "grade": _Lookup(labels("grade", sla.GRADES)),
            "validity": _Lookup(labels("validity", rules.VALIDITY)),
            "urgency": _Lookup(labels("urgency", sla.URGENCIES)),
            "status": _Lookup(labels("status", STATUSES)),
            "satisfaction": _Lookup(labels("satisfaction", SATISFACTION)),
        }

    # ---- judging the rows -----------------------------------------------------------------------
    def _prepare(self, tx, actor, rows: pd.DataFrame) -> tuple[list[dict], list[Outcome]]:
        """Each row resolved to the product's ids and values (or its first problem), in file order."""
        frame = rows.copy()
        for key in KEYS:
            if key not in frame.columns:
                frame[key] = None
        look = self._lookups(tx)
        channels = {r["code"]: r for r in tx.rows("complaints/channels_active")}
        categories = {r["code"]: r for r in tx.rows("complaints/categories_tree")}
        departments = {r["code"]: r["id"] for r in tx.rows("complaints/import_departments")}
        projects = tx.rows("complaints/import_projects")
        by_code = {str(p["code"]).lower(): p for p in projects}
        by_name = {str(p["name"]).strip().lower(): p for p in projects}
        own = {p["id"] for p in tx.rows("org/projects_in_scope", actor.params())}
        units = {(u["project_id"], str(u["code"]).lower()): u for u in tx.rows("complaints/import_units")}
        systems = sorted({_text(s) or DEFAULT_SYSTEM for s in frame["source_system"]})
        existing = {(r["source_system"], r["source_ref"]): r
                    for r in tx.rows("complaints/import_existing", {"systems": systems})}
        now = actor.now()
        future = now + timedelta(minutes=1)
        seen: set[tuple[str, str]] = set()
        prepared: list[dict] = []
        outcomes: list[Outcome] = []
        columns = [frame[c].astype(object).tolist() for c in (LINE, *KEYS)]
        for values_of_row in zip(*columns, strict=True):
            raw = dict(zip((LINE, *KEYS), values_of_row, strict=True))
            line = int(raw[LINE])

            def reject(column, key, line=line, **params):
                outcomes.append(Outcome(line, "reject", column, UserError(key, **params)))
                prepared.append({})

            p: dict = {"line": line}
            system, ref = _text(raw["source_system"]) or DEFAULT_SYSTEM, _text(raw["source_ref"])
            too_long = next((f for f in FIELDS if f.max_chars and _text(raw[f.key])
                             and len(_text(raw[f.key])) > f.max_chars), None)
            if too_long is not None:
                reject(too_long.key, "import.error.too_long", max=too_long.max_chars)
                continue
            if ref is None:
                reject("source_ref", "import.error.required")
                continue
            if (system, ref) in seen:
                reject("source_ref", "import.error.ref_twice", ref=ref)
                continue
            seen.add((system, ref))
            ptext = _text(raw["project"])
            project = by_code.get(ptext.lower()) if ptext else None
            project = project or (by_name.get(ptext.lower()) if ptext else None)
            if ptext is None:
                reject("project", "import.error.required")
                continue
            if project is None:
                reject("project", "import.error.project_unknown", value=ptext)
                continue
            if project["id"] not in own:
                reject("project", "import.error.project_scope", value=ptext)
                continue
            values = {}
            bad = None
            for key in ("channel", "category", "grade", "validity", "urgency", "department", "status",
                        "satisfaction"):
                given = _text(raw[key])
                values[key] = look[key].get(given) if given is not None else None
                if given is not None and values[key] is None:
                    bad = (key, given)
                    break
            if bad:
                reject(bad[0], "import.error.value_unknown", value=bad[1])
                continue
            if values["category"] is None:
                reject("category", "import.error.required")
                continue
            description = _text(raw["description"])
            if description is None:
                reject("description", "import.error.required")
                continue
            times = {k: _time(raw[k]) for k in TIMES}
            received = times["received_at"]
            if received is None:
                reject("received_at", "import.error.required")
                continue
            late = next((k for k in TIMES if times[k] is not None and times[k] > future), None)
            if late:
                reject(late, "import.error.future")
                continue
            early = next((k for k in ("first_response_at", "resolved_at", "closed_at", "revisited_at")
                          if times[k] is not None and times[k] < received), None)
            if early:
                reject(early, "import.error.before_received")
                continue
            if times["resolved_at"] and times["closed_at"] and times["closed_at"] < times["resolved_at"]:
                reject("closed_at", "import.error.closed_before_resolved")
                continue
            if times["revisited_at"] and times["resolved_at"] and times["revisited_at"] < times["resolved_at"]:
                reject("revisited_at", "import.error.revisit_before_resolved")
                continue
            if values["satisfaction"] and times["revisited_at"] is None:
                reject("revisited_at", "import.error.revisit_time")
                continue
            if times["revisited_at"] and not (times["resolved_at"] or times["closed_at"]):
                reject("revisited_at", "import.error.revisit_unresolved")
                continue
            status = values["status"] or _derived_status(times, values["satisfaction"])
            if status == "suspended":
                reject("status", "import.error.status_suspended")
                continue
            if status in DONE_STATUSES and not (times["resolved_at"] or times["closed_at"]):
                reject("status", "import.error.status_times", status=t(f"status.{status}"))
                continue
            if status == "closed" and times["closed_at"] is None:
                reject("closed_at", "import.error.required")
                continue
            if status not in DONE_STATUSES and (times["resolved_at"] or times["closed_at"]):
                reject("status", "import.error.status_open_done", status=t(f"status.{status}"))
                continue
            unit_text = _text(raw["unit"])
            unit = units.get((project["id"], unit_text.lower())) if unit_text else None
            category = categories[values["category"]]
            channel = channels[values["channel"] or DEFAULT_CHANNEL]
            grade, urgency = values["grade"], values["urgency"] or "normal"
            p.update({
                "source_system": system, "source_ref": ref, "project_id": project["id"],
                "branch_id": project["branch_id"],
                "building_id": unit["building_id"] if unit else None,
                "building_text": (unit["building"] if unit else None) or _text(raw["building"]),
                "unit_id": unit["id"] if unit else None, "unit_text": unit["code"] if unit else unit_text,
                "complainant_name": _text(raw["complainant"]) or "",
                "complainant_phone": (_text(raw["phone"]) or "").replace(" ", "") or None,
                "channel_id": channel["id"], "category_id": category["id"], "description": description,
                "urgency": urgency, "status": status, "validity": values["validity"], "grade": grade,
                "owner_level": rules.owner_level_for(grade, channel["origin"]),
                "department_id": (departments[values["department"]] if values["department"]
                                  else category["default_department_id"]),
                "result": _text(raw["result"]), "handler": _text(raw["handler"]),
                "satisfaction": values["satisfaction"], "revisit_note": _text(raw["revisit_note"]),
                "close_satisfied": (values["satisfaction"] != "unsatisfied"
                                    if status == "closed" and values["satisfaction"] else None),
                **times,
            })
            p["source_hash"] = _hash(p)
            old = existing.get((system, ref))
            if old is None:
                outcomes.append(Outcome(line, "add"))
            elif old["project_id"] not in own:
                reject("project", "import.error.project_scope", value=ptext)
                continue
            elif old["source_hash"] == p["source_hash"]:
                outcomes.append(Outcome(line, "same", record_id=old["id"]))
            elif old["changed_live"]:
                reject("source_ref", "import.error.changed_live", ref=ref)
                continue
            else:
                outcomes.append(Outcome(line, "update", record_id=old["id"]))
            p["id"] = old["id"] if old is not None else None
            prepared.append(p)
        return prepared, outcomes

    def _prepared(self, tx, actor, rows: pd.DataFrame) -> tuple[list[dict], list[Outcome]]:
        """_prepare, once per transaction and frame: the mechanism's apply plans the rows again in
        its transaction and then applies them (nothing else writes in between)."""
        last = getattr(self, "_last", None)
        if last is not None and last[0] is tx and last[1] is rows and last[2] is actor:
            return last[3]
        result = self._prepare(tx, actor, rows)
        self._last = (tx, rows, actor, result)
        return result

    def plan(self, tx, actor, rows: pd.DataFrame) -> list[Outcome]:
        return self._prepared(tx, actor, rows)[1]

    # ---- writing --------------------------------------------------------------------------------
    def apply(self, tx, actor, rows: pd.DataFrame, outcomes: list[Outcome], batch_id: int) -> None:
        prepared, now_outcomes = self._prepared(tx, actor, rows)
        self._last = None
        wanted = {o.line: o.action for o in outcomes}
        adds = [p for p, o in zip(prepared, now_outcomes, strict=True)
                if o.action == "add" and wanted.get(o.line) == "add"]
        updates = [p for p, o in zip(prepared, now_outcomes, strict=True)
                   if o.action == "update" and wanted.get(o.line) == "update"]
        if not adds and not updates:
            return
        _due_times(tx, adds + updates)
        for p in adds + updates:
            p["import_batch_id"] = batch_id
            p["received_by"] = actor.username
        history: list[dict] = []
        if adds:
            ids = [r[0] for r in tx.execute("complaints/import_ids", {"n": len(adds)})]
            for p, cid in zip(adds, ids, strict=True):
                p["id"] = cid
            _codes(tx, adds, actor.tz)
            tx.load("complaints/import_insert", _frame(adds, _INSERT_COLUMNS))
            for p in adds:
                history += _history_of_add(p, actor.username, batch_id)
        if updates:
            ids = [p["id"] for p in updates]
            tx.load("complaints/import_before_insert", pd.DataFrame({"batch_id": batch_id, "id": ids}))
            before = {r["id"]: r for r in tx.rows("complaints/import_rows", {"ids": ids})}
            tx.load("complaints/import_update", _frame(updates, _UPDATE_COLUMNS))
            tx.execute("complaints/import_handling_replace", {"ids": ids})
            for p in updates:
                history += _history_of_update(before[p["id"]], p, actor.username, batch_id, actor.now())
        if history:
            tx.load("complaints/import_history_insert", pd.DataFrame(history))
        handled = [{"complaint_id": p["id"], "handled_by": p["handler"],
                    "handled_at": p["resolved_at"] or p["first_response_at"] or p["closed_at"] or p["received_at"],
                    "content": p["result"] or p["description"], "recorded_by": actor.username,
                    "import_batch_id": batch_id}
                   for p in adds + updates if p["handler"]]
        if handled:
            tx.load("complaints/import_handling_insert", _frame(handled, list(handled[0])))
        revisited = [p for p in adds if p["revisited_at"]]
        if revisited:  # the ledger's revisits: done revisits in the revisits capability (csm/flows.py)
            events.emit(tx, "complaint.imported_revisits", by=actor.username, batch_id=batch_id, revisits=[
                {"complaint_id": p["id"], "project_id": p["project_id"], "branch_id": p["branch_id"],
                 "unit_id": p["unit_id"], "unit_text": p["unit_text"], "contact_name": p["complainant_name"],
                 "contact_phone": p["complainant_phone"], "code": p["code"],
                 "event_at": p["resolved_at"] or p["closed_at"], "attempt_at": p["revisited_at"],
                 "method": "phone", "reached": True, "fail_reason": None, "satisfaction": p["satisfaction"],
                 "comments": p["revisit_note"], "by_user": actor.username, "source_ref": None}
                for p in revisited])

    # ---- undo -----------------------------------------------------------------------------------
    def undo(self, tx, actor, batch_id: int) -> int:
        refs = tx.value("complaints/import_undo_refs", {"batch_id": batch_id}) or 0
        if refs:
            raise UserError("import.error.undo_referred", count=int(refs))
        codes = tx.rows("complaints/import_undo_codes", {"batch_id": batch_id})
        for c in codes:
            if c["counter"] != c["last_no"] or c["last_no"] - c["first_no"] + 1 != c["n"]:
                raise UserError("import.error.undo_codes", year=c["year"])
        events.emit(tx, "complaint.import_undone", by=actor.username, batch_id=batch_id)
        tx.execute("complaints/import_undo_delete_history", {"batch_id": batch_id})
        tx.execute("complaints/import_undo_delete_handling", {"batch_id": batch_id})
        removed = len(tx.execute("complaints/import_undo_delete", {"batch_id": batch_id}))
        restored = len(tx.execute("complaints/import_undo_restore", {"batch_id": batch_id}))
        tx.execute("complaints/import_undo_forget", {"batch_id": batch_id})
        for c in codes:
            tx.execute("complaints/import_counter_set", {"year": c["year"], "last_no": c["first_no"] - 1})
        return removed + restored


TARGET = ComplaintLedger()

_INSERT_COLUMNS = ["id", "code", "project_id", "branch_id", "building_id", "building_text", "unit_id", "unit_text",
                   "complainant_name", "complainant_phone", "channel_id", "received_at", "received_by",
                   "category_id", "description", "urgency", "status", "validity", "grade", "owner_level",
                   "department_id", "forward_due_at", "first_response_due_at", "resolve_due_at",
                   "first_response_at", "resolved_at", "result", "closed_at", "close_satisfied",
                   "import_batch_id", "source_system", "source_ref", "source_hash"]
_UPDATE_COLUMNS = [c for c in _INSERT_COLUMNS if c not in ("code", "received_by", "source_system", "source_ref")]
_INTS = {"id", "project_id", "branch_id", "building_id", "unit_id", "channel_id", "category_id",
         "department_id", "import_batch_id", "complaint_id"}


def _derived_status(times: dict, satisfaction: str | None) -> str:
    """A ledger without a status column: the furthest step its times show."""
    if times["closed_at"]:
        return "closed"
    if times["revisited_at"] and satisfaction and satisfaction != "unsatisfied":
        return "revisited"
    if times["resolved_at"]:
        return "resolved"
    return "in_progress" if times["first_response_at"] else "received"


def _hash(p: dict) -> str:
    """The row's content as resolved (times as UTC epoch seconds: the same instant in any zone)."""
    text = repr(tuple(p[k].timestamp() if isinstance(p[k], datetime) else p[k] for k in sorted(p) if k != "line"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """The staged frame of a bulk write: typed columns (ids as nullable integers, times tz-aware)."""
    frame = pd.DataFrame({c: [r.get(c) for r in records] for c in columns})
    for c in columns:
        if c in _INTS:
            frame[c] = frame[c].astype("Int64")
        elif c.endswith("_at"):
            frame[c] = pd.to_datetime(frame[c], utc=True)
        elif c == "close_satisfied":
            frame[c] = frame[c].astype("boolean")
        else:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def _due_times(tx: Tx, rows: list[dict]) -> None:
    """The three due times of each row from its received time (limits of its grade × urgency,
    its branch's working calendar), as if it had been filed then."""
    limits: dict = {}
    calendars: dict = {}
    for p in rows:
        key = (p["grade"] or "general", p["urgency"])
        if key not in limits:
            limits[key] = sla.limits_for(tx, *key)
        if p["branch_id"] not in calendars:
            cal = sla.calendar_for_branch(tx, p["branch_id"])
            calendars[p["branch_id"]] = _Calendar(cal) if cal is not None else None
        due = sla.due_times(p["received_at"], limits[key], calendars[p["branch_id"]])
        p["forward_due_at"], p["first_response_due_at"], p["resolve_due_at"] = (
            due.forward_due_at, due.first_response_due_at, due.resolve_due_at)


def _codes(tx: Tx, adds: list[dict], tz: str) -> None:
    """TS-<year of receipt>-<n>: one block of each year's counter, in order of receipt."""
    by_year: dict[int, list[dict]] = {}
    for p in adds:
        by_year.setdefault(rules.code_year(p["received_at"], tz), []).append(p)
    for year, group in sorted(by_year.items()):
        tx.execute("complaints/counter_ensure", {"year": year})
        last = tx.execute("complaints/import_codes_take", {"year": year, "n": len(group)})[0][0]
        group.sort(key=lambda p: (p["received_at"], p["line"]))
        for no, p in enumerate(group, start=last - len(group) + 1):
            p["code"] = f"TS-{year}-{no:06d}"


def _line(cid, at, actor, action, field, old, new, note, batch_id) -> dict:
    return {"complaint_id": cid, "at_time": at, "actor": actor, "action": action, "field": field,
            "from_value": old, "to_value": new, "note": note, "import_batch_id": batch_id}


def _history_of_add(p: dict, actor: str, batch_id: int) -> list[dict]:
    """The imported complaint's history at its own times: received, resolved, closed."""
    note = f"{p['source_system']} {p['source_ref']}"
    out = [_line(p["id"], p["received_at"], actor, "import", "status", None, p["status"], note, batch_id)]
    if p["resolved_at"]:
        out.append(_line(p["id"], p["resolved_at"], actor, "resolve", None, None, None, p["result"], batch_id))
    if p["closed_at"]:
        out.append(_line(p["id"], p["closed_at"], actor, "close", None, None, None, None, batch_id))
    return out


def _history_of_update(before: dict, p: dict, actor: str, batch_id: int, at: datetime) -> list[dict]:
    """One line per changed field, at the time of the correcting import."""
    note = f"{p['source_system']} {p['source_ref']}"
    out = []
    for name in HISTORY:
        old, new = before.get(name), p.get(name)
        if _same(old, new):
            continue
        out.append(_line(p["id"], at, actor, "import", name, _show(old), _show(new), note, batch_id))
    if not out:
        out.append(_line(p["id"], at, actor, "import", None, None, None, note, batch_id))
    return out


def _same(a, b) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b
    return (a is None and b is None) or (a is not None and b is not None and str(a) == str(b))


def _show(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.isoformat(timespec="minutes")
    return str(v)
