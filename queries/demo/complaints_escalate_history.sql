-- Records in history the escalation of the demo's open overdue complaints (before the update).
-- Params: $anchor
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note)
SELECT id, CASE WHEN first_response_at IS NULL AND first_response_due_at < $anchor THEN first_response_due_at
                ELSE resolve_due_at END + INTERVAL 5 MINUTE,
       NULL, 'escalate', 'escalation_level', 'project',
       CASE WHEN first_response_at IS NULL AND first_response_due_at < $anchor AND resolve_due_at < $anchor
            THEN 'general_manager' ELSE 'branch_manager' END, 'overdue'
FROM complaints
WHERE status IN ('received', 'judged', 'dispatched', 'in_progress')
  AND ((first_response_at IS NULL AND first_response_due_at < $anchor) OR resolve_due_at < $anchor)
