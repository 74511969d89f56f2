-- Escalates the demo's open overdue complaints as csm.complaints.escalate_overdue would have:
-- one level per missed due time. Params: $anchor
UPDATE complaints SET
    escalated_first_response = first_response_at IS NULL AND first_response_due_at < $anchor,
    escalated_resolve = resolve_due_at < $anchor,
    escalation_level = CASE WHEN first_response_at IS NULL AND first_response_due_at < $anchor
                             AND resolve_due_at < $anchor THEN 'general_manager' ELSE 'branch_manager' END
WHERE status IN ('received', 'judged', 'dispatched', 'in_progress')
  AND ((first_response_at IS NULL AND first_response_due_at < $anchor) OR resolve_due_at < $anchor)
