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

from datetime import datetime, timedelta

import numpy as np
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


class ComplaintLedger:
    name = "complaints"
    label = "targets.complaints"
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
    def _prepare(self, tx, actor, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[Outcome]]:
        """Every row resolved to the product's ids and values, with its outcome (the first problem
        of a refused row), in file order. Column-wise: 100,000 rows take seconds, not minutes."""
        n = len(rows)
        S = {f.key: _strings(rows[f.key] if f.key in rows.columns else None, n)
             for f in FIELDS if f.kind != "datetime"}
        T = {k: _times(rows[k] if k in rows.columns else None, n) for k in TIMES}
        line = pd.Series(rows[LINE].to_numpy(), dtype="int64")
        check = _Checks(n)
        look = self._lookups(tx)
        channels = {r["code"]: r for r in tx.rows("complaints/channels_active")}
        categories = {r["code"]: r for r in tx.rows("complaints/categories_tree")}
        departments = {r["code"]: r["id"] for r in tx.rows("complaints/import_departments")}
        projects = tx.rows("complaints/import_projects")
        own = {p["id"] for p in tx.rows("org/projects_in_scope", actor.params())}

        for f in FIELDS:  # the mechanism cuts nothing: a cell over a field's length is refused
            if f.max_chars and f.key in S:
                check.flag(S[f.key].str.len() > f.max_chars, f.key, "targets.error.too_long", max=f.max_chars)
        system, ref = S["source_system"].fillna(DEFAULT_SYSTEM), S["source_ref"]
        check.flag(ref.isna(), "source_ref", "targets.error.required")
        key = system + "\x1f" + ref
        check.flag(key.where(~check.rejected).duplicated(keep="first"), "source_ref", "targets.error.ref_twice",
                   ref=ref)
        plow = S["project"].str.lower().astype(object)
        pid = plow.map({str(p["code"]).lower(): p["id"] for p in projects})
        pid = pid.fillna(plow.map({str(p["name"]).strip().lower(): p["id"] for p in projects}))
        check.flag(S["project"].isna(), "project", "targets.error.required")
        check.flag(pid.isna(), "project", "targets.error.project_unknown", value=S["project"])
        check.flag(~pid.isin(own), "project", "targets.error.project_scope", value=S["project"])
        V = {}
        for k in ("channel", "category", "grade", "validity", "urgency", "department", "status", "satisfaction"):
            V[k] = S[k].str.lower().astype(object).map(look[k].by)
            check.flag(S[k].notna() & V[k].isna(), k, "targets.error.value_unknown", value=S[k])
        check.flag(V["category"].isna(), "category", "targets.error.required")
        check.flag(S["description"].isna(), "description", "targets.error.required")
        received = T["received_at"]
        check.flag(received.isna(), "received_at", "targets.error.required")
        future = pd.Timestamp(actor.now() + timedelta(minutes=1))
        for k in TIMES:
            check.flag(T[k] > future, k, "targets.error.future")
        for k in ("first_response_at", "resolved_at", "closed_at", "revisited_at"):
            check.flag(T[k] < received, k, "targets.error.before_received")
        resolved, closed, revisited = T["resolved_at"], T["closed_at"], T["revisited_at"]
        check.flag(closed < resolved, "closed_at", "targets.error.closed_before_resolved")
        check.flag(revisited < resolved, "revisited_at", "targets.error.revisit_before_resolved")
        sat = V["satisfaction"]
        check.flag(sat.notna() & revisited.isna(), "revisited_at", "targets.error.revisit_time")
        check.flag(revisited.notna() & resolved.isna() & closed.isna(), "revisited_at",
                   "targets.error.revisit_unresolved")
        derived = pd.Series(np.select(
            [closed.notna(), revisited.notna() & sat.notna() & (sat != "unsatisfied"), resolved.notna(),
             T["first_response_at"].notna()], ["closed", "revisited", "resolved", "in_progress"], "received"),
            dtype=object)
        status = V["status"].where(V["status"].notna(), derived)
        labels = status.map({st: t(f"status.{st}") for st in STATUSES})
        done, has_done = status.isin(DONE_STATUSES), resolved.notna() | closed.notna()
        check.flag(status == "suspended", "status", "targets.error.status_suspended")
        check.flag(done & ~has_done, "status", "targets.error.status_times", status=labels)
        check.flag((status == "closed") & closed.isna(), "closed_at", "targets.error.required")
        check.flag(~done & has_done, "status", "targets.error.status_open_done", status=labels)

        ok = ~check.rejected
        ukey = (pid.astype("Int64").astype("string") + "\x1f" + S["unit"].str.lower()).astype(object)
        keys = sorted(set(ukey.dropna()))
        units = tx.rows("complaints/import_units", {"keys": keys}) if keys else []
        unit_of = {f"{u['project_id']}\x1f{str(u['code']).lower()}": u for u in units}

        def by_unit(field):
            return ukey.map({k: u[field] for k, u in unit_of.items()})

        channel = V["channel"].fillna(DEFAULT_CHANNEL)
        category = V["category"]
        origin = channel.map({c: r["origin"] for c, r in channels.items()})
        grade = V["grade"]
        P = pd.DataFrame({
            "line": line, "source_system": system.astype(object), "source_ref": ref.astype(object),
            "project_id": pid.astype("Int64"),
            "branch_id": pid.map({p["id"]: p["branch_id"] for p in projects}).astype("Int64"),
            "building_id": by_unit("building_id").astype("Int64"),
            "building_text": _objects(by_unit("building").fillna(S["building"].astype(object))),
            "unit_id": by_unit("id").astype("Int64"),
            "unit_text": _objects(by_unit("code").fillna(S["unit"].astype(object))),
            "complainant_name": S["complainant"].fillna("").astype(object),
            "complainant_phone": _objects(S["phone"].str.replace(" ", "", regex=False)),
            "channel_id": channel.map({c: r["id"] for c, r in channels.items()}).astype("Int64"),
            "category_id": category.map({c: r["id"] for c, r in categories.items()}).astype("Int64"),
            "description": _objects(S["description"]), "urgency": V["urgency"].fillna("normal"),
            "status": status, "validity": _objects(V["validity"]), "grade": _objects(grade),
            "owner_level": pd.Series(np.select(
                [origin.isin(rules.ESCALATED_ORIGINS), grade == "major", grade == "important"],
                ["quality_department", "general_manager", "branch_manager"], "project"), dtype=object),
            "department_id": V["department"].map(departments).fillna(category.map(
                {c: r["default_department_id"] for c, r in categories.items()})).astype("Int64"),
            "result": _objects(S["result"]), "handler": _objects(S["handler"]), "satisfaction": _objects(sat),
            "revisit_note": _objects(S["revisit_note"]),
            "close_satisfied": pd.Series(np.where(sat.isna() | (status != "closed"), None, sat != "unsatisfied"),
                                         dtype=object).astype("boolean"),
            **T,
        })
        P["source_hash"] = _hashes(P)
        existing = {(r["source_system"] + "\x1f" + r["source_ref"]): r for r in
                    tx.rows("complaints/import_existing", {"systems": sorted(set(system.dropna()))})}
        key_o = key.astype(object)
        has_old = key_o.isin(existing.keys()) & ok
        old_project = key_o.map({k: r["project_id"] for k, r in existing.items()})
        check.flag(has_old & ~old_project.isin(own), "project", "targets.error.project_scope", value=S["project"])
        same = has_old & (key_o.map({k: r["source_hash"] for k, r in existing.items()}) == P["source_hash"])
        live = key_o.map({k: bool(r["changed_live"]) for k, r in existing.items()}).fillna(False).astype(bool)
        check.flag(has_old & ~same & live, "source_ref", "targets.error.changed_live", ref=ref)
        P["id"] = key_o.map({k: r["id"] for k, r in existing.items()}).astype("Int64")
        P["action"] = np.select([check.rejected, ~has_old, same], ["reject", "add", "same"], "update")
        outcomes = check.outcomes(line, P["action"], P["id"])
        return P, outcomes

    def _prepared(self, tx, actor, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[Outcome]]:
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
    def apply(self, tx, actor, rows: pd.DataFrame, outcomes: list[Outcome], batch_id: int,
              progress=None) -> None:
        """progress(fraction) after each bulk step (the optional hook of csm/importing/target.py)."""
        def step(share: float) -> None:
            if progress:
                progress(share)

        P, _ = self._prepared(tx, actor, rows)
        step(0.1)
        self._last = None
        wanted = P["line"].map({o.line: o.action for o in outcomes})
        P = P[(P["action"] == wanted) & P["action"].isin(("add", "update"))].copy()
        if P.empty:
            return
        _due_times(tx, P)
        step(0.25)
        P["import_batch_id"] = batch_id
        P["received_by"] = actor.username
        adds, updates = P[P["action"] == "add"].copy(), P[P["action"] == "update"].copy()
        history = []
        if len(adds):
            adds["id"] = pd.array([r[0] for r in tx.execute("complaints/import_ids", {"n": len(adds)})],
                                  dtype="Int64")
            _codes(tx, adds, actor.tz)
            tx.load("complaints/import_insert", _stage(adds, _INSERT_COLUMNS))
            history.append(_history_of_adds(adds, actor.username, batch_id))
            step(0.5)
        if len(updates):
            ids = [int(i) for i in updates["id"]]
            tx.load("complaints/import_before_insert", pd.DataFrame({"batch_id": batch_id, "id": ids}))
            before = {r["id"]: r for r in tx.rows("complaints/import_rows", {"ids": ids})}
            tx.load("complaints/import_update", _stage(updates, _UPDATE_COLUMNS))
            tx.execute("complaints/import_handling_replace", {"ids": ids})
            lines = []
            for p in _records(updates):
                lines += _history_of_update(before[p["id"]], p, actor.username, batch_id, actor.now())
            history.append(pd.DataFrame(lines))
        step(0.6)
        if history:
            tx.load("complaints/import_history_insert", _stage(pd.concat(history, ignore_index=True), _HISTORY_COLUMNS))
        both = pd.concat([adds, updates], ignore_index=True)
        handled = both[both["handler"].notna()]
        if len(handled):
            tx.load("complaints/import_handling_insert", _stage(pd.DataFrame({
                "complaint_id": handled["id"].to_numpy(), "handled_by": handled["handler"].to_numpy(),
                "handled_at": handled["resolved_at"].fillna(handled["first_response_at"]).fillna(
                    handled["closed_at"]).fillna(handled["received_at"]).to_numpy(),
                "content": handled["result"].fillna(handled["description"]).to_numpy(),
                "recorded_by": actor.username, "import_batch_id": batch_id}), _HANDLING_COLUMNS))
        step(0.85)
        revisited = adds[adds["revisited_at"].notna()]
        if len(revisited):  # the ledger's revisits: done revisits in the revisits capability (csm/flows.py)
            events.emit(tx, "complaint.imported_revisits", by=actor.username, batch_id=batch_id,
                        revisits=pd.DataFrame({
                            "complaint_id": revisited["id"].to_numpy(), "project_id": revisited["project_id"].to_numpy(),
                            "branch_id": revisited["branch_id"].to_numpy(), "unit_id": revisited["unit_id"].to_numpy(),
                            "unit_text": revisited["unit_text"].to_numpy(),
                            "contact_name": revisited["complainant_name"].to_numpy(),
                            "contact_phone": revisited["complainant_phone"].to_numpy(),
                            "code": revisited["code"].to_numpy(),
                            "event_at": revisited["resolved_at"].fillna(revisited["closed_at"]).to_numpy(),
                            "attempt_at": revisited["revisited_at"].to_numpy(), "method": "phone", "reached": True,
                            "fail_reason": None, "satisfaction": revisited["satisfaction"].to_numpy(),
                            "comments": revisited["revisit_note"].to_numpy(), "by_user": actor.username,
                            "source_ref": None}))

    # ---- undo -----------------------------------------------------------------------------------
    def undo(self, tx, actor, batch_id: int) -> int:
        refs = tx.value("complaints/import_undo_refs", {"batch_id": batch_id}) or 0
        if refs:
            raise UserError("targets.error.undo_referred", count=int(refs))
        codes = tx.rows("complaints/import_undo_codes", {"batch_id": batch_id})
        for c in codes:
            if c["counter"] != c["last_no"] or c["last_no"] - c["first_no"] + 1 != c["n"]:
                raise UserError("targets.error.undo_codes", year=c["year"])
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
_HISTORY_COLUMNS = ["complaint_id", "at_time", "actor", "action", "field", "from_value", "to_value", "note",
                    "import_batch_id"]
_HANDLING_COLUMNS = ["complaint_id", "handled_at", "handled_by", "content", "recorded_by", "import_batch_id"]
_INTS = {"id", "project_id", "branch_id", "building_id", "unit_id", "channel_id", "category_id",
         "department_id", "import_batch_id", "complaint_id"}
_TIME_COLUMNS = {"at_time"}


class _Checks:
    """The first problem of each row: checks run in order, each only on rows not refused yet."""

    def __init__(self, n: int):
        self.rejected = pd.Series(np.zeros(n, dtype=bool))
        self.column = np.full(n, None, dtype=object)
        self.key = np.full(n, None, dtype=object)
        self.params = np.full(n, None, dtype=object)

    def flag(self, mask, column: str, key: str, **params) -> None:
        m = pd.Series(mask).fillna(False).astype(bool).to_numpy() & ~self.rejected.to_numpy()
        if not m.any():
            return
        self.column[m], self.key[m] = column, key
        for i in np.flatnonzero(m):
            self.params[i] = {k: (v.iloc[i] if isinstance(v, pd.Series) else v) for k, v in params.items()}
        self.rejected |= m

    def outcomes(self, line: pd.Series, action: pd.Series, ids: pd.Series) -> list[Outcome]:
        out = []
        ids = ids.astype(object).where(ids.notna(), None).tolist()
        for i, (ln, act, rid) in enumerate(zip(line.tolist(), action.tolist(), ids, strict=True)):
            if act == "reject":
                out.append(Outcome(ln, "reject", self.column[i], UserError(self.key[i], **self.params[i])))
            else:
                out.append(Outcome(ln, act, record_id=rid))
        return out


def _strings(values, n: int) -> pd.Series:
    """A text column: stripped, empty cells as missing (pandas string dtype)."""
    if values is None:
        return pd.Series([pd.NA] * n, dtype="string")
    s = pd.Series(values).reset_index(drop=True).astype("string").str.strip()
    return s.mask(s == "")


def _times(values, n: int) -> pd.Series:
    if values is None:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]")
    return pd.to_datetime(pd.Series(values).reset_index(drop=True), utc=True).dt.as_unit("ns")


def _objects(s: pd.Series) -> pd.Series:
    s = s.astype(object)
    return s.where(s.notna(), None)


def _hashes(P: pd.DataFrame) -> list[str]:
    """Each row's content as resolved (the columns' types are fixed by _prepare, times as UTC
    instants): "same" on a re-import compares it. pandas' row hash (SipHash with a fixed key)."""
    cols = sorted(c for c in P.columns if c != "line")
    hashed = pd.util.hash_pandas_object(P[cols], index=False)
    return [format(h, "016x") for h in hashed.tolist()]


def _stage(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The staged frame of a bulk write: typed columns (ids as nullable integers, times UTC)."""
    out = pd.DataFrame(index=range(len(frame)))
    for c in columns:
        v = frame[c].reset_index(drop=True) if c in frame.columns else pd.Series([None] * len(frame))
        if c in _INTS:
            out[c] = pd.to_numeric(v, errors="coerce").astype("Int64")
        elif c.endswith("_at") or c in _TIME_COLUMNS:
            out[c] = pd.to_datetime(v, utc=True)
        elif c == "close_satisfied":
            out[c] = v.astype("boolean")
        else:
            out[c] = _objects(v)
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        out.append({k: (None if v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v)
                        else v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for k, v in r.items()})
    return out


def _due_times(tx: Tx, P: pd.DataFrame) -> None:
    """The three due times of each row from its received time (limits of its grade × urgency, its
    branch's working calendar), as if it had been filed then (sla.add_limits_many: add_limit's
    rule for whole columns)."""
    calendars = {int(b): sla.calendar_for_branch(tx, int(b)) for b in P["branch_id"].unique()}
    grades = P["grade"].fillna("general")
    limits = {(g, u): sla.limits_for(tx, g, u) for g, u in set(zip(grades, P["urgency"], strict=True))}
    per_row = [limits[k] for k in zip(grades, P["urgency"], strict=True)]
    cal = P["branch_id"].astype(int).map(calendars)
    at = P["received_at"]
    for column, minutes in (("forward_due_at", [x.forward_minutes for x in per_row]),
                            ("first_response_due_at", [x.first_response_hours * 60 for x in per_row]),
                            ("resolve_due_at", [x.resolve_hours * 60 for x in per_row])):
        P[column] = sla.add_limits_many(at, minutes, cal).to_numpy()


def _codes(tx: Tx, adds: pd.DataFrame, tz: str) -> None:
    """TS-<year of receipt>-<n>: one block of each year's counter, in order of receipt."""
    year = adds["received_at"].dt.tz_convert(tz).dt.year
    adds["code"] = None
    order = adds.assign(_year=year).sort_values(["_year", "received_at", "line"])
    for y, group in order.groupby("_year", sort=True):
        y = int(y)
        tx.execute("complaints/counter_ensure", {"year": y})
        last = tx.execute("complaints/import_codes_take", {"year": y, "n": len(group)})[0][0]
        numbers = range(last - len(group) + 1, last + 1)
        adds.loc[group.index, "code"] = [f"TS-{y}-{no:06d}" for no in numbers]


def _history_of_adds(A: pd.DataFrame, actor: str, batch_id: int) -> pd.DataFrame:
    """The imported complaints' history at their own times: received, resolved, closed."""
    note = A["source_system"] + " " + A["source_ref"]
    parts = [pd.DataFrame({"complaint_id": A["id"], "at_time": A["received_at"], "action": "import",
                           "field": "status", "from_value": None, "to_value": A["status"], "note": note})]
    r = A[A["resolved_at"].notna()]
    parts.append(pd.DataFrame({"complaint_id": r["id"], "at_time": r["resolved_at"], "action": "resolve",
                               "field": None, "from_value": None, "to_value": None, "note": r["result"]}))
    c = A[A["closed_at"].notna()]
    parts.append(pd.DataFrame({"complaint_id": c["id"], "at_time": c["closed_at"], "action": "close",
                               "field": None, "from_value": None, "to_value": None, "note": None}))
    out = pd.concat(parts, ignore_index=True)
    out["actor"], out["import_batch_id"] = actor, batch_id
    return out


def _line(cid, at, actor, action, field, old, new, note, batch_id) -> dict:
    return {"complaint_id": cid, "at_time": at, "actor": actor, "action": action, "field": field,
            "from_value": old, "to_value": new, "note": note, "import_batch_id": batch_id}


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
