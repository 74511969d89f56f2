-- Escalates one complaint if it is still as the escalating transaction read it (same version and
-- status): a user's action that committed first wins, and the escalation writes only its own
-- columns (never a judgement, an assignment, a due time). The version does not move, so a form a
-- user opened before the escalation still saves. Returns the id, or no row when it moved on.
-- Params: $id, $version, $status, $escalation_level, $escalated_first_response, $escalated_resolve
UPDATE complaints SET
    escalation_level = $escalation_level, escalated_first_response = $escalated_first_response,
    escalated_resolve = $escalated_resolve, updated_at = now()
WHERE id = $id AND version = $version AND status = $status
RETURNING id
