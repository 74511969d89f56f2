"""Complaint steps that run inside a transaction: the row write with its history and audit,
the inbox notices, the code counter, filing, and the reactions to revisits (called by
csm/flows.py inside the revisit's transaction). Internal: not guarded (csm.complaints.commands
checks the actor before it calls these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from csm import audit, notes, phones, sla, status
from csm.actor import DEFAULT_TZ, Actor
from csm.complaints import rules
from csm.db import Database, Tx
from csm.errors import ConflictError, PermissionDenied, UserError, ValidationFailed


def format_code(year: int, no: int) -> str:
    return f"TS-{year}-{no:06d}"


def take_numbers(tx: Tx, year: int, n: int, reuse: bool = True) -> list[int]:
    """`n` complaint numbers of `year` inside the filing transaction: first those handed back
    (complaints/code_gaps_return: numbers an earlier version's killed process took; `reuse=False`
    when none are), smallest first, then the next ones of the year's counter. A filing that fails
    rolls its numbers back with everything else, so the year's codes stay unique and gap-free."""
    numbers = sorted(r[0] for r in tx.execute("complaints/codes_reuse_many", {"year": year, "n": n})) \
        if reuse else []
    rest = n - len(numbers)
    if rest:
        rows = tx.execute("complaints/codes_take_many", {"year": year, "n": rest})
        if not rows:  # the year's counter row is missing
            tx.execute("complaints/counter_ensure", {"year": year})
            rows = tx.execute("complaints/codes_take_many", {"year": year, "n": rest})
        last = rows[0][0]
        numbers += range(last - rest + 1, last + 1)
    return numbers


def history(tx: Tx, complaint_id: int, at: datetime, actor: str | None, action: str,
             before: dict | None, after: dict, note: str | None = None) -> None:
    changed = False
    if before is not None:
        for name in rules.HISTORY_FIELDS:
            if before.get(name) != after.get(name):
                changed = True
                tx.execute("complaints/history_insert", {
                    "complaint_id": complaint_id, "at_time": at, "actor": actor, "action": action,
                    "field": name, "from_value": _text(before.get(name)), "to_value": _text(after.get(name)),
                    "note": note})
    if not changed:
        tx.execute("complaints/history_insert", {
            "complaint_id": complaint_id, "at_time": at, "actor": actor, "action": action, "field": None,
            "from_value": None, "to_value": None, "note": note})


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.astimezone(UTC).isoformat(timespec="minutes")
    return str(v)


def notify(tx: Tx, level: str, complaint: dict, kind: str, exclude: str | None = None) -> int:
    """Puts a notice in the inbox of everybody who owns the complaint at `level`."""
    n = 0
    for u in tx.rows("complaints/users_for_level", {"level": level, "project_id": complaint["project_id"],
                                        "branch_id": complaint["branch_id"]}):
        if u["username"] != exclude:
            tx.execute("complaints/notification_insert", {"user_id": u["id"], "complaint_id": complaint["id"], "kind": kind})
            n += 1
    return n


@dataclass
class Filing:
    """One complaint to file: who (`actor` a username; `scope` the actor's (scope_kind, scope_id),
    or None for a filing of the system, e.g. from a revisit, which is not validated), the register,
    the time, and its files already stored (Attachment, (hash, stored path, mime))."""
    actor: str
    scope: tuple[str, int] | None
    intake: rules.Intake
    now: datetime
    files: list = field(default_factory=list)


def insert(tx: Tx, actor: str, c: rules.Intake, now: datetime, tz: str, files=()) -> dict:
    """Files one complaint of the system inside the caller's transaction (e.g. a revisit's)."""
    out = file_many(tx, [Filing(actor, None, c, now, list(files))], tz)[0]
    if isinstance(out, BaseException):
        raise out
    return out


def file_many(tx: Tx, filings: list[Filing], tz: str, reference: dict | None = None) -> list[dict | UserError]:
    """Files a batch of complaints in the caller's transaction (commands.file_complaint's group
    commit): each filing validated (rules.intake_problems; a refused one gets its ValidationFailed
    and writes nothing), then the valid ones with consecutive codes, their due times, history
    line, audit record, attachments and notices. Reads and writes per batch, not per filing: one
    statement per table (projects x scopes, channels, categories, units, buildings, limits,
    calendars, the code counter, the complaint rows, history, audit). `reference`: the database's
    reference_cache() (taken before this transaction began), so that the reference rows a
    filing needs (projects, channels, categories, limits, calendars, whether numbers were handed
    back) are read once until reference data changes. Returns per filing its
    {id, code, due times, owner_level} or its error."""
    cache = {} if reference is None else reference
    cs = [f.intake for f in filings]
    wanted = {(int(c.project_id), f.scope or ("group", -1)) for c, f in zip(cs, filings, strict=True)
              if c.project_id is not None}
    missing = [k for k in wanted if ("project", k) not in cache]
    if missing:
        scopes = sorted({s for _, s in missing})
        found = {(r["id"], (r["scope_kind"], r["scope_id"])): (r["branch_id"], bool(r["allowed"]))
                 for r in tx.rows("complaints/filing_projects", {
                     "project_ids": sorted({p for p, _ in missing}), "scope_kinds": [k for k, _ in scopes],
                     "scope_ids": [i for _, i in scopes]})}
        for k in missing:
            cache[("project", k)] = found.get(k)  # None: no such project
    branch_of = {p: cache[("project", (p, s))][0] for p, s in wanted if cache[("project", (p, s))] is not None}
    allowed = {k for k in wanted if cache[("project", k)] is not None and cache[("project", k)][1]}
    channels = _cached(tx, cache, "complaints/channels_get_many", {c.channel_id for c in cs})
    categories = _cached(tx, cache, "complaints/categories_get_many", {c.category_id for c in cs})
    units = _by_id(tx, "complaints/units_get_many", {c.unit_id for c in cs})
    buildings = _by_id(tx, "complaints/building_names", {u["building_id"] for u in units.values()})

    outcomes: list = [None] * len(filings)
    valid: list[tuple[int, Filing, dict | None]] = []
    for i, f in enumerate(filings):
        c = f.intake
        unit = units.get(c.unit_id) if c.unit_id is not None and c.project_id is not None else None
        if unit is not None and (unit["project_id"] != c.project_id or unit["building_id"] not in buildings):
            unit = None  # as complaints/unit_in_project: a unit of this project, with its building
        if f.scope is not None:
            problems = rules.intake_problems(c, (c.project_id, f.scope) in allowed, channels.get(c.channel_id),
                                             categories.get(c.category_id), c.unit_id is None or
                                             c.project_id is None or unit is not None, f.now)
            if problems:
                outcomes[i] = ValidationFailed(problems)
                continue
        valid.append((i, f, unit))
    if not valid:
        return outcomes

    if ("limits",) not in cache:
        cache[("limits",)] = sla.limits_table(tx)
    limits = cache[("limits",)]
    branches = {branch_of[f.intake.project_id] for _, f, _ in valid}
    missing = [b for b in branches if ("calendar", b) not in cache]
    if missing:
        for b, cal in sla.calendars_for_branches(tx, missing).items():
            cache[("calendar", b)] = cal
    calendars = {b: cache[("calendar", b)] for b in branches}
    if ("code_returns",) not in cache:  # numbers are handed back only by a transaction that is not a filing
        cache[("code_returns",)] = bool(tx.value("complaints/code_returns_any"))

    rows = []  # built before the numbers are taken: the year's counter row is locked from then to the commit
    for _, f, unit in valid:
        c = f.intake
        branch_id = branch_of[c.project_id]
        channel, category = channels[c.channel_id], categories[c.category_id]
        due = sla.due_times(c.received_at, sla.limits_of(limits, "general", c.urgency), calendars[branch_id])
        rows.append({
            "code": None, "project_id": c.project_id, "branch_id": branch_id,
            "building_id": unit["building_id"] if unit else None,
            "building_text": buildings[unit["building_id"]]["name"] if unit else ((c.building_text or "").strip() or None),
            "unit_id": c.unit_id, "unit_text": unit["code"] if unit else ((c.unit_text or "").strip() or None),
            "resident_id": c.resident_id, "complainant_name": c.complainant_name.strip(),
            "complainant_phone": phones.stored(c.complainant_phone) or None,
            "relation": c.relation, "channel_id": c.channel_id, "received_at": c.received_at, "received_by": f.actor,
            "category_id": c.category_id, "description": c.description,  # verbatim: never trimmed or cut
            "urgency": c.urgency, "owner_level": rules.owner_level_for(None, channel["origin"]),
            "department_id": category["default_department_id"],
            "forward_due_at": due.forward_due_at, "first_response_due_at": due.first_response_due_at,
            "resolve_due_at": due.resolve_due_at, "linked_to_id": c.linked_to_id,
        })
    # the ids and the history lines too (the history sent before the numbers: it has no code)
    ids = sorted(int(r[0]) for r in tx.execute("complaints/ids_take_many", {"n": len(valid)}))
    history_rows = [{"complaint_id": ids[k], "at_time": f.now, "actor": f.actor, "action": "file", "field": None,
                     "from_value": None, "to_value": None,
                     "note": tx.value("complaints/code", {"id": f.intake.linked_to_id}) if f.intake.linked_to_id else None}
                    for k, (_, f, _) in enumerate(valid)]
    tx.execute("complaints/history_insert_many", {name: [r[name] for r in history_rows] for name in history_rows[0]})
    by_year: dict[int, list[int]] = {}
    for k, (_, f, _) in enumerate(valid):
        by_year.setdefault(rules.code_year(f.intake.received_at, tz), []).append(k)
    codes: list[str] = [""] * len(valid)
    for year in sorted(by_year):
        taken = take_numbers(tx, year, len(by_year[year]), reuse=cache[("code_returns",)])
        for k, no in zip(by_year[year], taken, strict=True):
            codes[k] = rows[k]["code"] = format_code(year, no)

    # from here to the commit the year's counter row is locked: only what needs the codes
    tx.execute("complaints/insert_many", {"id": ids, **{name: [r[name] for r in rows] for name in rows[0]}})
    audit_rows = []
    for k, (i, f, _) in enumerate(valid):
        row, cid = rows[k], ids[k]
        audit_rows.append({"actor": f.actor, "action": "create", "entity": "complaint", "entity_id": str(cid),
                           "before": None, "after": audit.to_json(row)})
        for att, (digest, rel, mime) in f.files:
            tx.execute("complaints/attachment_insert", {
                "complaint_id": cid, "file_name": att.file_name, "content_hash": digest,
                "size_bytes": len(att.data), "mime": mime, "stored_path": rel, "uploaded_by": f.actor})
        if row["owner_level"] == "quality_department":
            notify(tx, "quality_department", {**row, "id": cid}, "quality")
        outcomes[i] = {"id": cid, **{name: row[name] for name in ("code", "forward_due_at", "first_response_due_at",
                                                                  "resolve_due_at", "owner_level")}}
    tx.execute("core/audit_insert_many", {name: [r[name] for r in audit_rows] for name in audit_rows[0]})
    return outcomes


def _cached(tx: Tx, cache: dict, name: str, ids) -> dict:
    """_by_id through the reference cache: only the ids not cached yet are read (one statement)."""
    ids = {int(i) for i in ids if i is not None}
    missing = sorted(i for i in ids if (name, i) not in cache)
    if missing:
        found = _by_id(tx, name, missing)
        for i in missing:
            cache[(name, i)] = found.get(i)
    return {i: cache[(name, i)] for i in ids if cache[(name, i)] is not None}


def _by_id(tx: Tx, name: str, ids) -> dict:
    ids = sorted({int(i) for i in ids if i is not None})
    return {r["id"]: r for r in tx.rows(name, {"ids": ids})} if ids else {}


# ---- the generic step ----------------------------------------------------------------------
def write(tx: Tx, actor: str | None, action: str, before: dict, after: dict, at: datetime, note: str | None,
           audit_before: dict | None = None, audit_after: dict | None = None) -> dict:
    """Every complaint write: the row only if nobody changed it since `before` was read (else
    ConflictError), its history line(s) and its audit record (by default the changed columns)."""
    if not tx.execute("complaints/update", {**{k: after[k] for k in rules.UPDATABLE}, "id": before["id"],
                                           "expected_version": before["version"]}):
        raise ConflictError()
    after["version"] = before["version"] + 1
    history(tx, before["id"], at, actor, action, before, after, note)
    changed = [k for k in rules.UPDATABLE if before[k] != after[k]]
    audit.record(tx, actor, action, "complaint", before["id"],
                 audit_before if audit_before is not None else {k: before[k] for k in changed},
                 audit_after if audit_after is not None else {k: after[k] for k in changed})
    return after


def step(db: Database, actor: Actor, complaint_id: int, version: int, action: str, change,
         now: datetime | None = None, note: str | None = None) -> dict:
    """Runs one action: scope check (a complaint outside the actor's scope is refused), the
    status machine, the role, the optimistic write, history, audit.
    `change(tx, before, new_status, now)` returns the columns to change (and may write more)."""
    now = now or actor.now()

    def work(tx: Tx) -> dict:
        visible = tx.one("complaints/get", {"id": complaint_id, "now": now, **actor.params()})
        if visible is None:
            if tx.one("complaints/row", {"id": complaint_id}) is None:
                raise UserError("complaint.error.not_found")
            raise PermissionDenied()
        if actor.role not in status.ACTION_ROLES[action]:
            raise PermissionDenied()
        before = tx.one("complaints/row_for_update", {"id": complaint_id})  # locked on PostgreSQL
        if before["version"] != version:
            raise ConflictError()
        new_status = status.next_status(before["status"], action, validity=before["validity"],
                                        resume_status=before["resume_status"])
        after = dict(before)
        after["status"] = new_status
        after.update(change(tx, before, new_status, now) or {})
        return write(tx, actor.username, action, before, after, now, note)

    return db.transaction(work)


def recompute_due(tx: Tx, c: dict, grade: str | None, urgency: str) -> dict:
    """Due times for a (new) grade and urgency: from receipt, pushed by the time suspended."""
    cal = sla.calendar_for_branch(tx, c["branch_id"])
    due = sla.due_times(c["received_at"], sla.limits_for(tx, grade, urgency), cal)
    paused = timedelta(minutes=float(c["paused_minutes"] or 0))
    return {"forward_due_at": sla.shift(due.forward_due_at, paused, cal),
            "first_response_due_at": sla.shift(due.first_response_due_at, paused, cal),
            "resolve_due_at": sla.shift(due.resolve_due_at, paused, cal)}


def reopen_change(tx, c, _new, at):
    return {"reopen_count": c["reopen_count"] + 1, "resolved_at": None, "resolved_by": None, "closed_at": None,
            "closed_by": None, "close_satisfied": None, "confirmed_by": None, "escalated_resolve": False,
            "resolve_due_at": sla.add_limit(at, sla.limits_for(tx, c["grade"], c["urgency"]).resolve_hours * 60,
                                            sla.calendar_for_branch(tx, c["branch_id"]))}



# ---- reactions to revisits (csm/flows.py) ---------------------------------------------------
def system_step(tx: Tx, actor: str | None, complaint_id: int, action: str, change, note: str | None,
                 at: datetime) -> dict | None:
    before = tx.one("complaints/row", {"id": complaint_id})
    if before is None:
        return None
    new_status = status.next_status(before["status"], action, validity=before["validity"],
                                    resume_status=before["resume_status"])
    after = {**before, "status": new_status, **(change(tx, before, new_status, at) or {})}
    return write(tx, actor, action, before, after, at, note, {"status": before["status"]}, {"status": new_status})


def reopen_from_revisit(tx: Tx, actor: str, complaint_id: int, reason: str, record_id: int) -> None:
    """An unsatisfied revisit reopens its complaint and tells the project's supervisors."""
    note = notes.encode("revisit_unsatisfied", record=record_id, reason=reason)  # shown per reader's language
    after = system_step(tx, actor, complaint_id, "reopen", reopen_change, note, datetime.now(UTC))
    if after is not None:
        notify(tx, "project", after, "reopened", exclude=actor)


def mark_revisited(tx: Tx, actor: str, complaint_id: int, at: datetime) -> None:
    """A satisfied revisit moves a resolved complaint to revisited (ready to close)."""
    c = tx.one("complaints/row", {"id": complaint_id})
    if c is not None and c["status"] in status.AWAITING_REVISIT:
        system_step(tx, actor, complaint_id, "revisit_ok", lambda *_: {}, None, at)


def file_from_revisit(tx: Tx, actor: str, task: dict, reason: str, at: datetime) -> int:
    """An unsatisfied revisit of a repair, service or survey opens a new complaint (link back in
    the description) and tells the project's supervisors."""
    channel_id = tx.value("complaints/channel_by_code", {"code": "REVISIT"})
    category_code = {"repair": "ENG-VALVE", "paid_service": "SVC-PAID"}.get(task["kind"], "SVC-EFF")
    c = rules.Intake(project_id=task["project_id"], complainant_name=task["contact_name"] or "—",
               complainant_phone=task["contact_phone"] or "", channel_id=channel_id,
               category_id=tx.value("complaints/category_by_code", {"code": category_code}),
               description=f"回访不满意（回访任务 #{task['id']}）：{reason}", received_at=at,
               unit_id=task["unit_id"], unit_text=task["unit_text"] or "")
    tz = tx.value("core/setting_get", {"key": "timezone"}) or DEFAULT_TZ
    out = insert(tx, actor, c, at, tz)
    row = tx.one("complaints/row", {"id": out["id"]})
    notify(tx, "project", row, "reopened", exclude=actor)
    return out["id"]




# ---- escalation ------------------------------------------------------------------------------
ESCALATION_CHUNK = 100  # complaints escalated per transaction (escalate_all)


def escalate_all(db: Database, now: datetime | None = None) -> int:
    """Every complaint late for escalation (macros of migration 017) goes one level up (project →
    branch manager → general manager), once per due time; recorded in history and in the new
    owners' inbox. Each complaint is read in the transaction that writes its escalation, and
    written only if its version and status are still those read (complaints/escalate): it never
    overwrites a user's action, and it does not move the version, so a user's form opened before
    it still saves. Up to ESCALATION_CHUNK complaints share one transaction: a run after a long
    stop (hundreds late at once) commits a few times instead of once per complaint — every commit
    moves the data version, which made every page's cached figures stale again each time. A chunk
    that keeps conflicting with users' writes (db.transaction retries it) is done one by one, and
    a complaint still busy is left to the next run. Run by the serving process's timer
    (csm.ops.service) and by `python -m csm escalate`."""
    now = now or datetime.now(UTC)
    ids = [item["id"] for item in db.rows("complaints/late_for_escalation", {"now": now})]
    count = 0
    for start in range(0, len(ids), ESCALATION_CHUNK):
        chunk = ids[start:start + ESCALATION_CHUNK]
        try:
            count += db.transaction(lambda tx, chunk=chunk: sum(_escalate_one(tx, cid, now) for cid in chunk))
        except UserError:  # conflicts retried in vain: one by one, so the others are not held back
            for cid in chunk:
                try:
                    count += db.transaction(lambda tx, cid=cid: _escalate_one(tx, cid, now))
                except UserError:
                    continue  # somebody is working on it right now; the next run escalates it
    return count


def _escalate_one(tx: Tx, cid: int, now: datetime) -> bool:
    c = tx.one("complaints/row", {"id": cid})
    late = tx.one("complaints/escalation_due", {"id": cid, "now": now})
    if c is None or late is None or not (late["late_first"] or late["late_resolve"]):
        return False
    late_first, late_resolve = bool(late["late_first"]), bool(late["late_resolve"])
    level = sla.next_escalation(c["escalation_level"]) or c["escalation_level"]
    after = {**c, "escalation_level": level,
             "escalated_first_response": c["escalated_first_response"] or late_first,
             "escalated_resolve": c["escalated_resolve"] or late_resolve}
    if not tx.execute("complaints/escalate", {
            "id": cid, "version": c["version"], "status": c["status"], "escalation_level": level,
            "escalated_first_response": after["escalated_first_response"],
            "escalated_resolve": after["escalated_resolve"], "from_level": c["escalation_level"],
            "from_first": c["escalated_first_response"], "from_resolve": c["escalated_resolve"]}):
        return False  # a user acted since it was read, or another run escalated it: the next run looks again
    what = "resolve" if late_resolve else "first_response"
    history(tx, cid, now, None, "escalate", c, after, what)
    audit.record(tx, None, "escalate", "complaint", cid, {"escalation_level": c["escalation_level"]},
                 {"escalation_level": level, "overdue": what})
    if level != c["escalation_level"]:
        notify(tx, level, c, "escalated")
    return True


# ---- the inbox -------------------------------------------------------------------------------
INBOX_DUE_SOON = timedelta(hours=24)  # an open complaint due within this is "due soon" in the inbox
INBOX_SCOPE_ROLES = ("supervisor", "manager")  # for whom the scope's overdue / due-soon complaints are work
INBOX_PAGE = 30


def inbox_params(actor: Actor, now: datetime | None = None) -> dict:
    """Parameters of the inbox (macro inbox_of: complaints/inbox_items, complaints/inbox_count)
    for an actor, one definition for the page, the menu and the tests. What each role must act on
    (DOMAIN.md §1): complaints assigned to them; supervisors and managers also the overdue and
    due-soon open complaints of their scope, head office those owned by the quality department;
    revisits due today or overdue assigned to them (clerks also the unassigned ones of their
    project); corrective actions past their deadline for the roles that manage them, or for their
    owner. `now` is taken to the minute, so that the menu and the page, read a moment apart, agree."""
    from zoneinfo import ZoneInfo

    from csm import navigation, period

    now = (now or actor.now()).replace(second=0, microsecond=0)
    _, day_end = period.day_bounds(actor.tz, now)
    role = actor.role
    return {"user_id": actor.user_id, "username": actor.username, "display_name": actor.display_name,
            **actor.params(), "now": now, "soon_until": now + INBOX_DUE_SOON, "day_end": day_end,
            "today": now.astimezone(ZoneInfo(actor.tz)).date(),
            "scope_due": role in INBOX_SCOPE_ROLES, "quality_due": role == "head_office",
            "revisits": navigation.allowed(role, "revisits"),
            "revisits_unassigned": role == "clerk" and navigation.allowed(role, "revisits"),
            "actions_scope": role in INBOX_SCOPE_ROLES and navigation.allowed(role, "survey_actions"),
            "actions_owned": navigation.allowed(role, "survey_actions")}
