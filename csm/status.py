"""The complaint status machine (DOMAIN.md §2; seed 000 flow chart, seed 004 statuses).

received (已受理) → judged (已界定) → dispatched (已派工) → in_progress (处理中) →
resolved (已处理) → revisited (已回访) → closed (已关闭); suspended (暂停) from any working status
and back to where it was; reopened (to in_progress) after an unsatisfied revisit or on request.

This module is the only place that says which action is allowed in which status and which
status it leads to. csm.complaints calls `next_status` before every write, and the write
itself is conditional on the status and version it read, so a refused or stale action never
reaches the table.
"""

from __future__ import annotations

from csm.errors import UserError

STATUSES = ("received", "judged", "dispatched", "in_progress", "suspended", "resolved", "revisited",
            "closed")
OPEN_STATUSES = ("received", "judged", "dispatched", "in_progress", "suspended")
WORKING = ("judged", "dispatched", "in_progress")  # may be suspended
DONE_STATUSES = ("resolved", "revisited", "closed")  # listed after the open ones on the desk
AWAITING_REVISIT = ("resolved",)  # resolved, the complaint revisit not yet satisfied
ESCALATABLE = ("received", "judged", "dispatched", "in_progress")  # open, the clock running
ASSIGNED_WORK = ("dispatched", "in_progress", "suspended")  # in the assignee's hands

# The named status sets, each one SQL macro `<name>(status)` (migration 017); a test checks every
# macro against these tuples for every status. SQL never spells a status list out by hand.
STATUS_SETS: dict[str, tuple[str, ...]] = {
    "complaint_open": OPEN_STATUSES,
    "complaint_done": DONE_STATUSES,
    "complaint_awaiting_revisit": AWAITING_REVISIT,
    "complaint_escalatable": ESCALATABLE,
    "complaint_assigned_work": ASSIGNED_WORK,
}

# action -> {from status: to status}; None as target = unchanged ("same")
SAME = "same"
TRANSITIONS: dict[str, dict[str, str]] = {
    "judge": {"received": "judged", "judged": "judged", "dispatched": "dispatched",
              "in_progress": "in_progress"},
    "dispatch": {"judged": "dispatched", "dispatched": "dispatched", "in_progress": "dispatched"},
    "handle": {"dispatched": "in_progress", "in_progress": "in_progress"},
    "progress": {s: SAME for s in OPEN_STATUSES},
    "suspend": {s: "suspended" for s in WORKING},
    "resume": {"suspended": "resume"},  # back to the status it was suspended in
    "resolve": {"in_progress": "resolved"},
    "revisit_ok": {"resolved": "revisited"},
    "close": {"resolved": "closed", "revisited": "closed", "judged": "closed"},
    "reopen": {"resolved": "in_progress", "revisited": "in_progress", "closed": "in_progress"},
    "attach": {s: SAME for s in STATUSES},
}
ACTIONS = tuple(TRANSITIONS)

# Who may do what (DOMAIN.md §1): clerks record; supervisors and managers judge and handle;
# head office (quality department) acts on the complaints it owns and on any in its scope.
DESK_ROLES = ("supervisor", "manager", "head_office")
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "judge": DESK_ROLES,
    "dispatch": DESK_ROLES,
    "handle": DESK_ROLES,
    "progress": ("clerk", *DESK_ROLES),
    "suspend": DESK_ROLES,
    "resume": DESK_ROLES,
    "resolve": DESK_ROLES,
    "revisit_ok": ("clerk", *DESK_ROLES),
    "close": DESK_ROLES,
    "reopen": DESK_ROLES,
    "attach": ("clerk", *DESK_ROLES),
}


def next_status(status: str, action: str, *, validity: str | None = None,
                resume_status: str | None = None) -> str:
    """The status after `action`, or UserError('complaint.error.not_allowed') naming both."""
    targets = TRANSITIONS.get(action)
    if targets is None or status not in targets:
        raise UserError("complaint.error.not_allowed", action=action, status=status)
    if action == "close" and status == "judged" and validity != "invalid":
        # only an invalid complaint closes without being resolved (after the explanation)
        raise UserError("complaint.error.close_unresolved")
    target = targets[status]
    if target == SAME:
        return status
    if target == "resume":
        if resume_status not in WORKING:
            raise UserError("complaint.error.not_allowed", action=action, status=status)
        return resume_status
    return target


def allowed_actions(status: str, role: str, validity: str | None = None) -> list[str]:
    """Actions a role may take on a complaint in `status` (for the buttons on the detail page)."""
    out = []
    for action, targets in TRANSITIONS.items():
        if status in targets and role in ACTION_ROLES[action] and action not in ("revisit_ok", "attach"):
            if action == "close" and status == "judged" and validity != "invalid":
                continue
            out.append(action)
    return out
