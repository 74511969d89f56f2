-- Returns: open, not suspended complaints whose first response or resolution is overdue and
-- not yet escalated for it (one step per due time). Params: $now
SELECT id, version FROM complaints
WHERE status IN ('received', 'judged', 'dispatched', 'in_progress')
  AND ((NOT escalated_first_response AND first_response_at IS NULL AND first_response_due_at < $now)
    OR (NOT escalated_resolve AND resolve_due_at < $now))
ORDER BY id
