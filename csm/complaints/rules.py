"""Complaint rules (DOMAIN.md §2; seeds 000, 002, 003, 004): the register's fields and their
checks, the owner level, complaint codes' year and the attachment checks. Internal to
csm.complaints (the commands and the tx-level steps use them)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from csm import config, limits, phones, sla
from csm.db import Database, Tx
from csm.errors import UserError

VALIDITY = ("valid", "coordination", "invalid")
RELATIONS = phones.RELATIONS
PROGRESS_METHODS = ("phone", "visit", "sms", "wechat", "letter")
OWNER_LEVELS = ("project", "branch_manager", "general_manager", "quality_department")
ESCALATED_ORIGINS = ("company", "superior", "government")
ATTACH_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                ".heic": "image/heic", ".webp": "image/webp", ".pdf": "application/pdf", ".mp3": "audio/mpeg",
                ".m4a": "audio/mp4",
                ".amr": "audio/amr", ".doc": "application/msword", ".txt": "text/plain",
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ATTACH_MAX_BYTES = config.max_upload_mb() * 1024 * 1024  # = server.maxUploadSize in .streamlit/config.toml
HISTORY_FIELDS = ("status", "validity", "grade", "urgency", "owner_level", "department_id", "assignee_id",
                  "first_response_due_at", "resolve_due_at", "escalation_level")
UPDATABLE = ("status", "resume_status", "validity", "validity_basis", "grade", "urgency", "owner_level",
             "judged_at", "judged_by", "department_id", "assignee_id", "dispatched_at", "forward_due_at",
             "first_response_due_at", "resolve_due_at", "first_response_at", "paused_minutes",
             "suspended_at", "suspend_reason", "resolved_at", "resolved_by", "result", "closed_at",
             "closed_by", "close_satisfied", "confirmed_by", "close_explanation", "reopen_count",
             "escalation_level", "escalated_first_response", "escalated_resolve", "linked_to_id")


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
    """Every problem of the register at once (the page shows them beside their fields)."""
    channel = tx.one("complaints/channel_get", {"id": c.channel_id}) if c.channel_id is not None else None
    category = tx.one("complaints/category_get", {"id": c.category_id}) if c.category_id is not None else None
    unit_ok = c.unit_id is None or c.project_id is None or \
        tx.one("complaints/unit_in_project", {"unit_id": c.unit_id, "project_id": c.project_id}) is not None
    return intake_problems(c, c.project_id is not None and c.project_id in allowed_projects, channel, category,
                           unit_ok, now)


def intake_problems(c: Intake, project_allowed: bool, channel: dict | None, category: dict | None,
                    unit_ok: bool, now: datetime) -> list[UserError]:
    """validate_intake once the rows it needs are read (a batch of filings reads them together):
    the project open in the actor's scope, the channel and category rows (None: no such row), the
    unit in the project (or none given)."""
    problems: list[UserError] = []
    if c.project_id is None or not project_allowed:
        problems.append(UserError("error.required", field="project"))
    if not (c.complainant_name or "").strip():
        problems.append(UserError("error.required", field="complainant"))
    phone_problem = phones.problem(c.complainant_phone, "phone")  # one rule for every form (csm/phones.py)
    if phone_problem:
        problems.append(phone_problem)
    limits.check(problems, (c.complainant_name, limits.NAME, "complainant"), (c.unit_text, limits.UNIT, "unit"),
                 (c.building_text, limits.UNIT, "building"), (c.description, limits.TEXT, "description"))
    if c.relation not in RELATIONS:
        problems.append(UserError("error.required", field="relation"))
    if channel is None or not channel["active"]:
        problems.append(UserError("error.required", field="channel"))
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
    if not unit_ok:
        problems.append(UserError("complaint.error.unit", field="unit"))
    return problems


def code_year(received_at: datetime, tz: str) -> int:
    return received_at.astimezone(ZoneInfo(tz)).year


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


# Stored files a filing of this process is about to commit: a refused filing removes the files it
# wrote only when no saved complaint and no other filing in flight uses them (same photo, same hash).
_IN_FLIGHT: dict[str, int] = {}
_IN_FLIGHT_LOCK = threading.Lock()


@contextmanager
def attachments_for_filing(db: Database, attachments, kinds) -> Iterator[list[tuple[str, str, str]]]:
    """Stores a filing's files (store_attachment) for the block that saves the complaint; if the
    block fails (the filing is refused), removes the files this filing created that nobody uses."""
    stored, created = [], []
    with _IN_FLIGHT_LOCK:
        for att, kind in zip(attachments, kinds, strict=True):
            digest = hashlib.sha256(att.data).hexdigest()
            new = not (Path(config.uploads_dir()) / f"{digest[:2]}/{digest}{kind}").exists()
            out = store_attachment(att, kind)
            stored.append(out)
            _IN_FLIGHT[out[1]] = _IN_FLIGHT.get(out[1], 0) + 1
            if new:
                created.append(out[1])
    try:
        yield stored
    except BaseException:
        with _IN_FLIGHT_LOCK:
            _release(stored)
            for rel in created:
                if not _IN_FLIGHT.get(rel) and not db.value("complaints/attachment_path_used", {"stored_path": rel}):
                    (Path(config.uploads_dir()) / rel).unlink(missing_ok=True)
        raise
    with _IN_FLIGHT_LOCK:
        _release(stored)


def _release(stored) -> None:
    for _, rel, _ in stored:
        _IN_FLIGHT[rel] -= 1
        if not _IN_FLIGHT[rel]:
            del _IN_FLIGHT[rel]


