"""Complaints (投诉): intake, judgement, dispatch, handling, suspension, resolution, closing
(DOMAIN.md §2; seeds 000, 002, 003, 004).

Public face: `commands` (every write, `fn(db, actor, ...)`) and `reads` (every query a screen
shows), both guarded by csm/policy.py. `rules` (the register's checks, owner level, attachments)
and `steps` (transaction-level writes) are internal; the steps csm/flows.py calls inside a
revisit's transaction (reopen_from_revisit, mark_revisited, file_from_revisit) and the
scheduler's escalate_all are re-exported here, with the rules' names other packages use.
"""

from csm.complaints import commands, reads
from csm.complaints.commands import (
                                     add_handling,
                                     add_progress,
                                     close,
                                     dispatch,
                                     escalate_overdue,
                                     file_complaint,
                                     judge,
                                     mark_read,
                                     reopen,
                                     resolve,
                                     resume,
                                     suspend,
)
from csm.complaints.rules import (
                                     ATTACH_MAX_BYTES,
                                     ATTACH_TYPES,
                                     OWNER_LEVELS,
                                     PROGRESS_METHODS,
                                     RELATIONS,
                                     VALIDITY,
                                     Attachment,
                                     Intake,
                                     attachment_kind,
                                     owner_level_for,
                                     store_attachment,
                                     validate_intake,
)
from csm.complaints.steps import (
                                     INBOX_PAGE,
                                     escalate_all,
                                     file_from_revisit,
                                     inbox_params,
                                     mark_revisited,
                                     reopen_from_revisit,
)

__all__ = ["ATTACH_MAX_BYTES", "ATTACH_TYPES", "INBOX_PAGE", "OWNER_LEVELS", "PROGRESS_METHODS",
           "RELATIONS", "VALIDITY", "Attachment", "Intake", "add_handling", "add_progress", "attachment_kind",
           "close", "commands", "dispatch", "escalate_all", "escalate_overdue", "file_complaint",
           "file_from_revisit", "inbox_params", "judge", "mark_read", "mark_revisited", "owner_level_for",
           "reads", "reopen", "reopen_from_revisit", "resolve", "resume", "store_attachment", "suspend",
           "validate_intake"]
