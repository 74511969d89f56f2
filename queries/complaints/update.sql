-- Writes a complaint's changeable columns if nobody changed it since it was read (optimistic
-- lock on version); returns the id, or no row when the version moved on.
-- Params: $id, $expected_version and every column set below.
UPDATE complaints SET
    status = $status, resume_status = $resume_status, validity = $validity,
    validity_basis = $validity_basis, grade = $grade, urgency = $urgency, owner_level = $owner_level,
    judged_at = $judged_at, judged_by = $judged_by, department_id = $department_id,
    assignee_id = $assignee_id, dispatched_at = $dispatched_at, forward_due_at = $forward_due_at,
    first_response_due_at = $first_response_due_at, resolve_due_at = $resolve_due_at,
    first_response_at = $first_response_at, paused_minutes = $paused_minutes,
    suspended_at = $suspended_at, suspend_reason = $suspend_reason, resolved_at = $resolved_at,
    resolved_by = $resolved_by, result = $result, closed_at = $closed_at, closed_by = $closed_by,
    close_satisfied = $close_satisfied, confirmed_by = $confirmed_by,
    close_explanation = $close_explanation, reopen_count = $reopen_count,
    escalation_level = $escalation_level, escalated_first_response = $escalated_first_response,
    escalated_resolve = $escalated_resolve, linked_to_id = $linked_to_id,
    version = version + 1, updated_at = now()
WHERE id = $id AND version = $expected_version
RETURNING id
