"""Complaints (投诉): intake, judgement, dispatch, handling, suspension, resolution, closing.

DOMAIN.md §2; seeds 000, 002, 003, 004. Every command runs in one transaction that
1. reads the complaint within the user's scope (a complaint outside it is "not found"),
2. asks csm.status whether the action is allowed in the current status for the user's role,
3. writes the row only if its version is still the one the user saw (else ConflictError:
   "somebody changed it"), and
4. writes the history (who, when, field, from, to), the audit trail and any inbox notices.
Due times come from csm.sla only.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from csm import audit, config, events, notes, sla, status
from csm.db import Database, Tx
from csm.errors import ConflictError, UserError, ValidationFailed
from csm.scope import Scope

VALIDITY = ("valid", "coordination", "invalid")
RELATIONS = ("owner", "family", "tenant", "other")
PROGRESS_METHODS = ("phone", "visit", "sms", "wechat", "letter")
OWNER_LEVELS = ("project", "branch_manager", "general_manager", "quality_department")
ESCALATED_ORIGINS = ("company", "superior", "government")
# Chinese mobile, landline with area code (optionally with extension), or a 400/800 number
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4}|\d{7,8})$")
ATTACH_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                ".heic": "image/heic", ".webp": "image/webp", ".pdf": "application/pdf", ".mp3": "audio/mpeg",
                ".m4a": "audio/mp4",
                ".amr": "audio/amr", ".doc": "application/msword", ".txt": "text/plain",
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ATTACH_MAX_BYTES = 20 * 1024 * 1024  # = server.maxUploadSize in .streamlit/config.toml
HISTORY_FIELDS = ("status", "validity", "grade", "urgency", "owner_level", "department_id", "assignee_id",
                  "first_response_due_at", "resolve_due_at", "escalation_level")
UPDATABLE = ("status", "resume_status", "validity", "validity_basis", "grade", "urgency", "owner_level",
             "judged_at", "judged_by", "department_id", "assignee_id", "dispatched_at", "forward_due_at",
             "first_response_due_at", "resolve_due_at", "first_response_at", "paused_minutes",
             "suspended_at", "suspend_reason", "resolved_at", "resolved_by", "result", "closed_at",
             "closed_by", "close_satisfied", "confirmed_by", "close_explanation", "reopen_count",
             "escalation_level", "escalated_first_response", "escalated_resolve", "linked_to_id")


_FILING_LOCK = threading.Lock()


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass
class Intake:
    """The complaint register (投诉登记表) as the clerk typed it."""
    project_id: int | None
    complainant_name: str
    channel_id: int | None
    category_id: int | None
    description: str
    complainant_phone: str = ""
    relation: str = "owner"
    received_at: datetime | None = None
    urgency: str = "normal"
    building_text: str = ""
    unit_id: int | None = None
    unit_text: str = ""
    resident_id: int | None = None
    linked_to_id: int | None = None


@dataclass
class Attachment:
    file_name: str
    data: bytes
    mime: str = field(default="")


# ---- intake ------------------------------------------------------------------------------
def validate_intake(tx: Tx | Database, c: Intake, allowed_projects: set[int], now: datetime) -> list[UserError]:
    problems: list[UserError] = []
    if c.project_id is None or c.project_id not in allowed_projects:
        problems.append(UserError("error.required", field="project"))
    if not (c.complainant_name or "").strip():
        problems.append(UserError("error.required", field="complainant"))
    phone = (c.complainant_phone or "").strip().replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        problems.append(UserError("complaint.error.phone", field="phone"))
    if c.relation not in RELATIONS:
        problems.append(UserError("error.required", field="relation"))
    channel = tx.one("channel_get", {"id": c.channel_id}) if c.channel_id is not None else None
    if channel is None or not channel["active"]:
        problems.append(UserError("error.required", field="channel"))
    category = tx.one("category_get", {"id": c.category_id}) if c.category_id is not None else None
    if category is None or not category["active"] or category["parent_id"] is None:
        problems.append(UserError("complaint.error.category", field="category"))
    if not (c.description or "").strip():
        problems.append(UserError("error.required", field="description"))
    if c.received_at is None:
        problems.append(UserError("error.required", field="received_at"))
    elif c.received_at > now + timedelta(minutes=1):
        problems.append(UserError("complaint.error.future", field="received_at"))
    if c.urgency not in sla.URGENCIES:
        problems.append(UserError("error.required", field="urgency"))
    if c.unit_id is not None and c.project_id is not None and \
            tx.one("unit_in_project", {"unit_id": c.unit_id, "project_id": c.project_id}) is None:
        problems.append(UserError("complaint.error.unit", field="unit"))
    return problems


def duplicates(db: Database, scope: Scope, c: Intake):
    """Open complaints of the same unit and second-level category in the last 30 days."""
    if c.project_id is None or c.category_id is None or (c.unit_id is None and not (c.unit_text or "").strip()):
        return db.df("complaint_duplicates", {"project_id": -1, "unit_id": None, "unit_text": None,
                                              "category_id": -1, "received_at": now_utc(), **scope.params()})
    return db.df("complaint_duplicates", {
        "project_id": c.project_id, "unit_id": c.unit_id, "unit_text": (c.unit_text or "").strip(),
        "category_id": c.category_id, "received_at": c.received_at or now_utc(), **scope.params()})


def code_year(received_at: datetime, tz: str) -> int:
    from zoneinfo import ZoneInfo

    return received_at.astimezone(ZoneInfo(tz)).year


def ensure_counter(db: Database, year: int) -> None:
    """The year's counter row, created outside the filing transaction (see complaint_code_next)."""
    import duckdb

    try:
        db.execute("complaint_counter_ensure", {"year": year})
    except (duckdb.ConstraintException, UserError):
        pass  # created by a concurrent filing a moment ago


def next_code(tx: Tx, received_at: datetime, tz: str) -> str:
    """TS-<year>-<6 digits>, unique per company and year (year of receipt in the company's zone)."""
    year = code_year(received_at, tz)
    rows = tx.execute("complaint_code_next", {"year": year})
    if not rows:  # the counter row is missing (a filing from inside another transaction)
        tx.execute("complaint_counter_ensure", {"year": year})
        rows = tx.execute("complaint_code_next", {"year": year})
    return f"TS-{year}-{rows[0][0]:06d}"


def owner_level_for(grade: str | None, channel_origin: str | None) -> str:
    """Who handles it (seeds 003, 004): company/superior/government complaints → quality
    department; major → general manager; important → branch manager; general → project."""
    if channel_origin in ESCALATED_ORIGINS:
        return "quality_department"
    return {"major": "general_manager", "important": "branch_manager"}.get(grade or "general", "project")


# What an attachment's first bytes must be for each allowed extension (its real type, not its name):
# an executable or a web page renamed .jpg is refused. Each kind is served back with its own mime.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")
_MP4_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"3gp4", b"3gp5")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _looks_like_text(data: bytes) -> bool:
    """Plain text in UTF-8 or GB18030 (not a binary, not a web page or script)."""
    import codecs

    head = data[:65536]
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:  # not final when cut: a character split at the end of the sample is fine
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) == len(data))
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    start = text.lstrip("\ufeff \t\r\n").lower()
    return not start.startswith(("<!doctype", "<html", "<script", "<svg", "<?xml"))


def _zip_with(data: bytes, folder: str) -> bool:
    import io
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


CONTENT_CHECKS = {
    ".jpg": lambda d: d[:3] == b"\xff\xd8\xff",
    ".png": lambda d: d[:8] == b"\x89PNG\r\n\x1a\n",
    ".gif": lambda d: d[:6] in (b"GIF87a", b"GIF89a"),
    ".webp": lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP",
    ".heic": lambda d: d[4:8] == b"ftyp" and d[8:12] in _HEIF_BRANDS,
    ".pdf": lambda d: d[:5] == b"%PDF-",
    ".mp3": lambda d: d[:3] == b"ID3" or (len(d) > 1 and d[0] == 0xFF and d[1] & 0xE0 == 0xE0),
    ".m4a": lambda d: d[4:8] == b"ftyp" and d[8:12] in _MP4_AUDIO_BRANDS,
    ".amr": lambda d: d[:6] == b"#!AMR\n",
    ".doc": lambda d: d[:8] == _OLE,
    ".docx": lambda d: d[:4] == _ZIP and _zip_with(d, "word/"),
    ".xlsx": lambda d: d[:4] == _ZIP and _zip_with(d, "xl/"),
    ".txt": _looks_like_text,
}
CONTENT_CHECKS[".jpeg"] = CONTENT_CHECKS[".jpg"]
# a photo saved under another photo's extension (a PNG called .jpg) is still a photo: accepted as what it is
_IMAGES = (".jpg", ".png", ".gif", ".webp", ".heic")


def attachment_kind(att: Attachment) -> str:
    """The extension the file's content really has, or a UserError naming the file: an extension
    not allowed, a content that is not what the extension says, or too large."""
    ext = Path(att.file_name).suffix.lower()
    if ext not in ATTACH_TYPES:
        raise UserError("complaint.error.attach_type", field="attachments", name=att.file_name,
                        types=" ".join(sorted(ATTACH_TYPES)))
    if len(att.data) > ATTACH_MAX_BYTES:
        raise UserError("complaint.error.attach_size", field="attachments", name=att.file_name,
                        mb=ATTACH_MAX_BYTES // (1024 * 1024))
    if not att.data:
        raise UserError("complaint.error.attach_empty", field="attachments", name=att.file_name)
    if CONTENT_CHECKS[ext](att.data):
        return ext
    if ext in _IMAGES or ext == ".jpeg":
        real = next((e for e in _IMAGES if CONTENT_CHECKS[e](att.data)), None)
        if real:
            return real
    raise UserError("complaint.error.attach_content", field="attachments", name=att.file_name,
                    ext=ext.lstrip("."))


def store_attachment(att: Attachment, kind: str | None = None) -> tuple[str, str, str]:
    """Checks the file (attachment_kind); writes the bytes under data/uploads by content hash.
    Returns (hash, stored relative path, mime of the real content)."""
    ext = kind or attachment_kind(att)
    digest = hashlib.sha256(att.data).hexdigest()
    rel = f"{digest[:2]}/{digest}{ext}"
    path = Path(config.uploads_dir()) / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(att.data)
        tmp.replace(path)
    return digest, rel, ATTACH_TYPES[ext]


def _history(tx: Tx, complaint_id: int, at: datetime, actor: str | None, action: str,
             before: dict | None, after: dict, note: str | None = None) -> None:
    changed = False
    if before is not None:
        for name in HISTORY_FIELDS:
            if before.get(name) != after.get(name):
                changed = True
                tx.execute("complaint_history_insert", {
                    "complaint_id": complaint_id, "at_time": at, "actor": actor, "action": action,
                    "field": name, "from_value": _text(before.get(name)), "to_value": _text(after.get(name)),
                    "note": note})
    if not changed:
        tx.execute("complaint_history_insert", {
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
    for u in tx.rows("users_for_level", {"level": level, "project_id": complaint["project_id"],
                                        "branch_id": complaint["branch_id"]}):
        if u["username"] != exclude:
            tx.execute("notification_insert", {"user_id": u["id"], "complaint_id": complaint["id"], "kind": kind})
            n += 1
    return n


def file_complaint(db: Database, user: dict, c: Intake, attachments: list[Attachment] = (),
                   allowed_projects: set[int] | None = None, now: datetime | None = None) -> dict:
    """Saves a new complaint with its code and due times; returns {id, code, due times}."""
    now = now or now_utc()
    if c.received_at is None:
        c.received_at = now
    problems, kinds = [], []
    for a in attachments:  # every bad file named, before anything is written
        try:
            kinds.append(attachment_kind(a))
        except UserError as exc:
            problems.append(exc)
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationFailed(problems)
    stored = [store_attachment(a, kind) for a, kind in zip(attachments, kinds, strict=True)]
    scope = Scope.of(user)
    if allowed_projects is None:
        allowed_projects = set(db.df("projects_in_scope", scope.params())["id"].tolist())

    ensure_counter(db, code_year(c.received_at, db.timezone))

    def work(tx: Tx) -> dict:
        problems = validate_intake(tx, c, allowed_projects, now)
        if problems:
            raise ValidationFailed(problems)
        return _insert(tx, user["username"], c, now, db.timezone, zip(attachments, stored, strict=True))

    with _FILING_LOCK:  # one filing at a time per process: the code counter never conflicts
        return db.transaction(work)


def _insert(tx: Tx, actor: str, c: Intake, now: datetime, tz: str, files=()) -> dict:
    project = tx.one("project_get_for_scope", {"id": c.project_id})
    channel = tx.one("channel_get", {"id": c.channel_id})
    category = tx.one("category_get", {"id": c.category_id})
    unit = tx.one("unit_in_project", {"unit_id": c.unit_id, "project_id": c.project_id}) if c.unit_id else None
    limits = sla.limits_for(tx, "general", c.urgency)
    due = sla.due_times(c.received_at, limits, sla.calendar_for_branch(tx, project["branch_id"]))
    row = {
        "code": next_code(tx, c.received_at, tz), "project_id": c.project_id, "branch_id": project["branch_id"],
        "building_id": unit["building_id"] if unit else None,
        "building_text": unit["building"] if unit else ((c.building_text or "").strip() or None),
        "unit_id": c.unit_id, "unit_text": unit["code"] if unit else ((c.unit_text or "").strip() or None),
        "resident_id": c.resident_id, "complainant_name": c.complainant_name.strip(),
        "complainant_phone": (c.complainant_phone or "").strip().replace(" ", "") or None,
        "relation": c.relation, "channel_id": c.channel_id, "received_at": c.received_at, "received_by": actor,
        "category_id": c.category_id, "description": c.description,  # verbatim: never trimmed or cut
        "urgency": c.urgency, "owner_level": owner_level_for(None, channel["origin"]),
        "department_id": category["default_department_id"],
        "forward_due_at": due.forward_due_at, "first_response_due_at": due.first_response_due_at,
        "resolve_due_at": due.resolve_due_at, "linked_to_id": c.linked_to_id,
    }
    cid = tx.execute("complaint_insert", row)[0][0]
    note = None
    if c.linked_to_id:
        note = tx.value("complaint_code", {"id": c.linked_to_id})
    _history(tx, cid, now, actor, "file", None, row, note)
    for att, (digest, rel, mime) in files:
        tx.execute("complaint_attachment_insert", {
            "complaint_id": cid, "file_name": att.file_name, "content_hash": digest,
            "size_bytes": len(att.data), "mime": mime, "stored_path": rel, "uploaded_by": actor})
    if row["owner_level"] == "quality_department":
        notify(tx, "quality_department", {**row, "id": cid}, "quality")
    audit.record(tx, actor, "create", "complaint", cid, None, row)
    return {"id": cid, **{k: row[k] for k in ("code", "forward_due_at", "first_response_due_at",
                                             "resolve_due_at", "owner_level")}}


# ---- the generic step ----------------------------------------------------------------------
def _write(tx: Tx, actor: str | None, action: str, before: dict, after: dict, at: datetime, note: str | None,
           audit_before: dict | None = None, audit_after: dict | None = None) -> dict:
    """Every complaint write: the row only if nobody changed it since `before` was read (else
    ConflictError), its history line(s) and its audit record (by default the changed columns)."""
    if not tx.execute("complaint_update", {**{k: after[k] for k in UPDATABLE}, "id": before["id"],
                                           "expected_version": before["version"]}):
        raise ConflictError()
    after["version"] = before["version"] + 1
    _history(tx, before["id"], at, actor, action, before, after, note)
    changed = [k for k in UPDATABLE if before[k] != after[k]]
    audit.record(tx, actor, action, "complaint", before["id"],
                 audit_before if audit_before is not None else {k: before[k] for k in changed},
                 audit_after if audit_after is not None else {k: after[k] for k in changed})
    return after


def _step(db: Database, user: dict, complaint_id: int, version: int, action: str, change,
          now: datetime | None = None, note: str | None = None) -> dict:
    """Runs one action: scope check, status machine, role, optimistic write, history, audit.
    `change(tx, before, new_status, now)` returns the columns to change (and may write more)."""
    now = now or now_utc()
    scope = Scope.of(user)

    def work(tx: Tx) -> dict:
        visible = tx.one("complaint_get", {"id": complaint_id, "now": now, **scope.params()})
        if visible is None:
            raise UserError("complaint.error.not_found")
        if user["role"] not in status.ACTION_ROLES[action]:
            raise UserError("error.permission_denied")
        before = tx.one("complaint_row", {"id": complaint_id})
        if before["version"] != version:
            raise ConflictError()
        new_status = status.next_status(before["status"], action, validity=before["validity"],
                                        resume_status=before["resume_status"])
        after = dict(before)
        after["status"] = new_status
        after.update(change(tx, before, new_status, now) or {})
        return _write(tx, user["username"], action, before, after, now, note)

    return db.transaction(work)


def _recompute_due(tx: Tx, c: dict, grade: str | None, urgency: str) -> dict:
    """Due times for a (new) grade and urgency: from receipt, pushed by the time suspended."""
    cal = sla.calendar_for_branch(tx, c["branch_id"])
    due = sla.due_times(c["received_at"], sla.limits_for(tx, grade, urgency), cal)
    paused = timedelta(minutes=float(c["paused_minutes"] or 0))
    return {"forward_due_at": sla.shift(due.forward_due_at, paused, cal),
            "first_response_due_at": sla.shift(due.first_response_due_at, paused, cal),
            "resolve_due_at": sla.shift(due.resolve_due_at, paused, cal)}


def judge(db: Database, user: dict, complaint_id: int, version: int, validity: str, basis: str,
          grade: str, urgency: str, now: datetime | None = None) -> dict:
    """投诉界定: validity with its basis, grade, urgency; due times follow grade × urgency."""
    problems = []
    if validity not in VALIDITY:
        problems.append(UserError("error.required", field="validity"))
    if not (basis or "").strip():
        problems.append(UserError("error.required", field="validity_basis"))
    if grade not in sla.GRADES:
        problems.append(UserError("error.required", field="grade"))
    if urgency not in sla.URGENCIES:
        problems.append(UserError("error.required", field="urgency"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, at):
        origin = tx.one("channel_get", {"id": c["channel_id"]})["origin"]
        level = owner_level_for(grade, origin)
        out = {"validity": validity, "validity_basis": basis.strip(), "grade": grade, "urgency": urgency,
               "judged_at": at, "judged_by": user["username"], "owner_level": level,
               **_recompute_due(tx, c, grade, urgency)}
        if level in ("general_manager", "branch_manager", "quality_department") and level != c["owner_level"]:
            notify(tx, level, c, "major" if grade == "major" else ("quality" if level == "quality_department"
                                                                   else "important"),
                   exclude=user["username"])
        return out

    return _step(db, user, complaint_id, version, "judge", change, now)


def dispatch(db: Database, user: dict, complaint_id: int, version: int, department_id: int | None,
             assignee_id: int | None = None, now: datetime | None = None) -> dict:
    if department_id is None:
        raise ValidationFailed([UserError("error.required", field="department")])

    def change(tx, c, _new, at):
        if assignee_id is not None and tx.one("user_in_scope_get",
                                              {"id": assignee_id, "project_id": c["project_id"]}) is None:
            raise ValidationFailed([UserError("complaint.error.assignee", field="assignee")])
        if assignee_id is not None and assignee_id != c["assignee_id"]:
            tx.execute("notification_insert", {"user_id": assignee_id, "complaint_id": c["id"], "kind": "assigned"})
        return {"department_id": department_id, "assignee_id": assignee_id, "dispatched_at": at}

    return _step(db, user, complaint_id, version, "dispatch", change, now)


def add_handling(db: Database, user: dict, complaint_id: int, version: int, handled_by: str, content: str,
                 handled_at: datetime | None = None, now: datetime | None = None) -> dict:
    """A handling record (处理记录: who, when, what was done); the complaint is in progress."""
    now = now or now_utc()
    handled_at = handled_at or now
    problems = []
    if not (handled_by or "").strip():
        problems.append(UserError("error.required", field="handled_by"))
    if not (content or "").strip():
        problems.append(UserError("error.required", field="content"))
    if handled_at > now + timedelta(minutes=1):
        problems.append(UserError("complaint.error.future", field="handled_at"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, _at):
        tx.execute("complaint_handling_insert", {"complaint_id": c["id"], "handled_at": handled_at,
                                                 "handled_by": handled_by.strip(), "content": content,
                                                 "recorded_by": user["username"]})
        return {"first_response_at": c["first_response_at"] or handled_at}

    return _step(db, user, complaint_id, version, "handle", change, now, note=content[:200])


def add_progress(db: Database, user: dict, complaint_id: int, version: int, method: str, content: str,
                 now: datetime | None = None) -> dict:
    """An update given to the resident (seed 000); the first one is the first response."""
    problems = []
    if method not in PROGRESS_METHODS:
        problems.append(UserError("error.required", field="progress_method"))
    if not (content or "").strip():
        problems.append(UserError("error.required", field="content"))
    if problems:
        raise ValidationFailed(problems)

    def change(tx, c, _new, at):
        tx.execute("complaint_progress_insert", {"complaint_id": c["id"], "given_at": at, "method": method,
                                                 "content": content, "recorded_by": user["username"]})
        return {"first_response_at": c["first_response_at"] or at}

    return _step(db, user, complaint_id, version, "progress", change, now, note=content[:200])


def suspend(db: Database, user: dict, complaint_id: int, version: int, reason: str,
            now: datetime | None = None) -> dict:
    if not (reason or "").strip():
        raise ValidationFailed([UserError("error.required", field="suspend_reason")])
    return _step(db, user, complaint_id, version, "suspend",
                 lambda tx, c, _n, at: {"resume_status": c["status"], "suspended_at": at,
                                        "suspend_reason": reason.strip()}, now, note=reason.strip())


def resume(db: Database, user: dict, complaint_id: int, version: int, now: datetime | None = None) -> dict:
    """The clock restarts: every due time not yet met moves by the (working) time suspended."""
    def change(tx, c, _new, at):
        cal = sla.calendar_for_branch(tx, c["branch_id"])
        paused = sla.working_time_between(c["suspended_at"], at, cal)
        out = {"resume_status": None, "suspended_at": None, "suspend_reason": None,
               "paused_minutes": float(c["paused_minutes"] or 0) + paused.total_seconds() / 60,
               "resolve_due_at": sla.shift(c["resolve_due_at"], paused, cal)}
        if c["first_response_at"] is None:
            out["first_response_due_at"] = sla.shift(c["first_response_due_at"], paused, cal)
        return out

    return _step(db, user, complaint_id, version, "resume", change, now)


def resolve(db: Database, user: dict, complaint_id: int, version: int, result: str,
            now: datetime | None = None, serious: bool = False) -> dict:
    """已处理: the result is recorded and the complaint revisit falls due (DOMAIN.md §3). A
    complaint marked serious dissatisfaction (严重不满意) also gets a separate revisit by the
    responsible department's manager (seed 002 4.2.3)."""
    if not (result or "").strip():
        raise ValidationFailed([UserError("error.required", field="result")])

    def change(tx, c, _new, at):
        events.emit(tx, "complaint.resolved", by=user["username"], complaint=c, at=at, serious=serious)
        return {"resolved_at": at, "resolved_by": user["username"], "result": result.strip(),
                "first_response_at": c["first_response_at"] or at}

    return _step(db, user, complaint_id, version, "resolve", change, now, note=result.strip()[:200])


def close(db: Database, user: dict, complaint_id: int, version: int, *, confirmed_by: str = "",
          satisfied: bool = False, explanation: str = "", now: datetime | None = None) -> dict:
    """Closed only when the resident confirmed satisfaction (seed 004), or for an invalid
    complaint once the explanation given to the resident is recorded."""
    def change(tx, c, _new, at):
        if c["validity"] == "invalid":
            if not (explanation or "").strip():
                raise ValidationFailed([UserError("complaint.error.explanation", field="close_explanation")])
        else:
            problems = []
            if not satisfied:
                problems.append(UserError("complaint.error.not_confirmed", field="close_satisfied"))
            if not (confirmed_by or "").strip():
                problems.append(UserError("error.required", field="confirmed_by"))
            if problems:
                raise ValidationFailed(problems)
        return {"closed_at": at, "closed_by": user["username"], "close_satisfied": bool(satisfied),
                "confirmed_by": (confirmed_by or "").strip() or None,
                "close_explanation": (explanation or "").strip() or None,
                "first_response_at": c["first_response_at"] or at}

    return _step(db, user, complaint_id, version, "close", change, now)


def _reopen_change(tx, c, _new, at):
    return {"reopen_count": c["reopen_count"] + 1, "resolved_at": None, "resolved_by": None, "closed_at": None,
            "closed_by": None, "close_satisfied": None, "confirmed_by": None, "escalated_resolve": False,
            "resolve_due_at": sla.add_limit(at, sla.limits_for(tx, c["grade"], c["urgency"]).resolve_hours * 60,
                                            sla.calendar_for_branch(tx, c["branch_id"]))}


def reopen(db: Database, user: dict, complaint_id: int, version: int, reason: str,
           now: datetime | None = None) -> dict:
    if not (reason or "").strip():
        raise ValidationFailed([UserError("error.required", field="reopen_reason")])
    return _step(db, user, complaint_id, version, "reopen", _reopen_change, now, note=reason.strip())


# ---- hooks used by revisits ----------------------------------------------------------------
def _system_step(tx: Tx, actor: str | None, complaint_id: int, action: str, change, note: str | None,
                 at: datetime) -> dict | None:
    before = tx.one("complaint_row", {"id": complaint_id})
    if before is None:
        return None
    new_status = status.next_status(before["status"], action, validity=before["validity"],
                                    resume_status=before["resume_status"])
    after = {**before, "status": new_status, **(change(tx, before, new_status, at) or {})}
    return _write(tx, actor, action, before, after, at, note, {"status": before["status"]}, {"status": new_status})


def reopen_from_revisit(tx: Tx, actor: str, complaint_id: int, reason: str, record_id: int) -> None:
    """An unsatisfied revisit reopens its complaint and tells the project's supervisors."""
    note = notes.encode("revisit_unsatisfied", record=record_id, reason=reason)  # shown per reader's language
    after = _system_step(tx, actor, complaint_id, "reopen", _reopen_change, note, now_utc())
    if after is not None:
        notify(tx, "project", after, "reopened", exclude=actor)


def mark_revisited(tx: Tx, actor: str, complaint_id: int, at: datetime) -> None:
    """A satisfied revisit moves a resolved complaint to revisited (ready to close)."""
    c = tx.one("complaint_row", {"id": complaint_id})
    if c is not None and c["status"] == "resolved":
        _system_step(tx, actor, complaint_id, "revisit_ok", lambda *_: {}, None, at)


def file_from_revisit(tx: Tx, actor: str, task: dict, reason: str, at: datetime) -> int:
    """An unsatisfied revisit of a repair, service or survey opens a new complaint (link back in
    the description) and tells the project's supervisors."""
    channel_id = tx.value("channel_by_code", {"code": "REVISIT"})
    category_code = {"repair": "ENG-VALVE", "paid_service": "SVC-PAID"}.get(task["kind"], "SVC-EFF")
    c = Intake(project_id=task["project_id"], complainant_name=task["contact_name"] or "—",
               complainant_phone=task["contact_phone"] or "", channel_id=channel_id,
               category_id=tx.value("category_by_code", {"code": category_code}),
               description=f"回访不满意（回访任务 #{task['id']}）：{reason}", received_at=at,
               unit_id=task["unit_id"], unit_text=task["unit_text"] or "")
    tz = tx.value("setting_get", {"key": "timezone"}) or "Asia/Shanghai"
    out = _insert(tx, actor, c, at, tz)
    row = tx.one("complaint_row", {"id": out["id"]})
    notify(tx, "project", row, "reopened", exclude=actor)
    return out["id"]


# ---- escalation ------------------------------------------------------------------------------
def escalate_overdue(db: Database, now: datetime | None = None) -> int:
    """Every open complaint past a due time goes one level up (project → branch manager →
    general manager), once per due time; recorded in history and in the new owners' inbox.
    Runs on page load and from `python -m csm escalate`."""
    now = now or now_utc()
    count = 0
    for item in db.rows("complaints_to_escalate", {"now": now}):
        def work(tx: Tx, cid=item["id"]) -> bool:
            c = tx.one("complaint_row", {"id": cid})
            if c is None or c["status"] not in ("received", "judged", "dispatched", "in_progress"):
                return False
            late_first = (not c["escalated_first_response"] and c["first_response_at"] is None
                          and sla.is_overdue(c["first_response_due_at"], now))
            late_resolve = not c["escalated_resolve"] and sla.is_overdue(c["resolve_due_at"], now)
            if not (late_first or late_resolve):
                return False
            level = sla.next_escalation(c["escalation_level"]) or c["escalation_level"]
            after = {**c, "escalation_level": level,
                     "escalated_first_response": c["escalated_first_response"] or late_first,
                     "escalated_resolve": c["escalated_resolve"] or late_resolve}
            what = "resolve" if late_resolve else "first_response"
            _write(tx, None, "escalate", c, after, now, what, {"escalation_level": c["escalation_level"]},
                   {"escalation_level": level, "overdue": what})
            if level != c["escalation_level"]:
                notify(tx, level, c, "escalated")
            return True
        try:
            count += bool(db.transaction(work))
        except UserError:
            continue  # somebody is working on it right now; the next run escalates it
    return count


INBOX_DUE_SOON = timedelta(hours=24)  # an open complaint due within this is "due soon" in the inbox
INBOX_SCOPE_ROLES = ("supervisor", "manager")  # for whom the scope's overdue / due-soon complaints are work
INBOX_PAGE = 30


def inbox_params(user: dict, tz: str, now: datetime | None = None) -> dict:
    """Parameters of the inbox (macro inbox_of: inbox_items / inbox_count) for a user, one
    definition for the page, the menu and the tests. What each role must act on (DOMAIN.md §1):
    complaints assigned to them; supervisors and managers also the overdue and due-soon open
    complaints of their scope, head office those owned by the quality department; revisits due
    today or overdue assigned to them (clerks also the unassigned ones of their project);
    corrective actions past their deadline for the roles that manage them, or for their owner.
    `now` is taken to the minute, so that the menu and the page, read a moment apart, agree."""
    from zoneinfo import ZoneInfo

    from csm import navigation, period

    now = (now or now_utc()).replace(second=0, microsecond=0)
    _, day_end = period.day_bounds(tz, now)
    role = user["role"]
    return {"user_id": user["id"], "username": user["username"], "display_name": user["display_name"],
            **Scope.of(user).params(), "now": now, "soon_until": now + INBOX_DUE_SOON, "day_end": day_end,
            "today": now.astimezone(ZoneInfo(tz)).date(),
            "scope_due": role in INBOX_SCOPE_ROLES, "quality_due": role == "head_office",
            "revisits": navigation.allowed(role, "revisits"),
            "revisits_unassigned": role == "clerk" and navigation.allowed(role, "revisits"),
            "actions_scope": role in INBOX_SCOPE_ROLES and navigation.allowed(role, "survey_actions"),
            "actions_owned": navigation.allowed(role, "survey_actions")}


def inbox_count(db: Database, user: dict, now: datetime | None = None) -> int:
    """How many items the user's inbox holds (the menu's count); 0 for the administrator."""
    if user["role"] == "admin":
        return 0
    return int(db.value("inbox_count", inbox_params(user, db.timezone, now)) or 0)


def inbox_page(db: Database, user: dict, page: int = 0, per_page: int = INBOX_PAGE,
               now: datetime | None = None):
    """(rows of page `page` (0-based) of the user's inbox, the inbox's total), from one read."""
    import pandas as pd

    if user["role"] == "admin":
        return pd.DataFrame(), 0
    rows = db.df("inbox_items", {**inbox_params(user, db.timezone, now), "limit": per_page,
                                 "offset": max(page, 0) * per_page})
    if rows.empty and page > 0:  # the page ran past the end (items were done meanwhile): the last one
        total = inbox_count(db, user, now)
        last = max((total - 1) // per_page, 0)
        return (inbox_page(db, user, last, per_page, now) if last < page else (rows, total))
    return rows, int(rows["total"].iloc[0]) if not rows.empty else 0


def mark_read(db: Database, user: dict, notice_id: int) -> None:
    db.transaction(lambda tx: tx.execute("notification_mark_read", {"id": notice_id, "user_id": user["id"]}))
