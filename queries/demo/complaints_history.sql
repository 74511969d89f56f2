-- Writes the demo complaints' history: filing and every status step they reached. Params: none
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note)
SELECT id, received_at, received_by, 'file', NULL, NULL, NULL, NULL FROM complaints
UNION ALL
SELECT id, judged_at, judged_by, 'judge', 'status', 'received', 'judged', NULL FROM complaints WHERE judged_at IS NOT NULL
UNION ALL
SELECT id, dispatched_at, judged_by, 'dispatch', 'status', 'judged', 'dispatched', NULL
FROM complaints WHERE dispatched_at IS NOT NULL
UNION ALL
SELECT id, first_response_at, judged_by, 'handle', 'status', 'dispatched', 'in_progress', NULL
FROM complaints WHERE status IN ('in_progress', 'suspended', 'resolved', 'revisited')
   OR (status = 'closed' AND validity <> 'invalid')
UNION ALL
SELECT id, suspended_at, judged_by, 'suspend', 'status', 'in_progress', 'suspended', suspend_reason
FROM complaints WHERE status = 'suspended'
UNION ALL
SELECT id, resolved_at, resolved_by, 'resolve', 'status', 'in_progress', 'resolved', NULL
FROM complaints WHERE resolved_at IS NOT NULL
UNION ALL
SELECT id, closed_at, closed_by, 'close', 'status', CASE WHEN validity = 'invalid' THEN 'judged' ELSE 'revisited' END,
       'closed', NULL
FROM complaints WHERE status = 'closed'
