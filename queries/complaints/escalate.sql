-- Escalates one complaint if it is still as the escalating transaction read it (same version,
-- status and escalation state): a user's action that committed first wins, and the escalation
-- writes only its own columns (never a judgement, an assignment, a due time). The version does not
-- move, so a form a user opened before the escalation still saves — which is why the escalation
-- state read ($from_level, $from_first, $from_resolve) is part of the condition: another escalation
-- run (another app process's timer, cron's `python -m csm escalate` on PostgreSQL) that escalated it
-- first leaves the version as it was, and under READ COMMITTED this UPDATE re-checks the row it
-- waited for, so the second run writes nothing (no double escalation, no second history row).
-- Returns the id, or no row when it moved on.
-- Params: $id, $version, $status, $escalation_level, $escalated_first_response, $escalated_resolve,
-- $from_level, $from_first, $from_resolve
UPDATE complaints SET
    escalation_level = $escalation_level, escalated_first_response = $escalated_first_response,
    escalated_resolve = $escalated_resolve, updated_at = now()
WHERE id = $id AND version = $version AND status = $status
  AND escalation_level = $from_level AND escalated_first_response = $from_first
  AND escalated_resolve = $from_resolve
RETURNING id
