-- Returns: the complaints late for escalation (macro complaint_late_for_escalation, migration
-- 017: open with the clock running, first response or resolution past due and not yet escalated
-- for it; one step per due time). Params: $now
SELECT id, version FROM complaints
WHERE complaint_late_for_escalation(status, escalated_first_response, first_response_at, first_response_due_at,
                                    escalated_resolve, resolve_due_at, $now)
  AND import_batch_id IS NULL  -- imported history is never escalated (docs/domain.md)
ORDER BY id
