-- Returns: for one complaint, which of its due times is late for escalation now (macros of
-- migration 017), re-read inside the escalating transaction. Params: $id, $now
SELECT complaint_late_first_response(status, escalated_first_response, first_response_at,
                                     first_response_due_at, $now) AS late_first,
       complaint_late_resolve(status, escalated_resolve, resolve_due_at, $now) AS late_resolve
FROM complaints WHERE id = $id
