-- Returns: per month of the due time, in [$period_start, least($period_end, $now)): revisits due,
-- done, rated and satisfied (not 不满意) — the revisit indicators of revisit_indicators.sql per month.
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $now
SELECT CAST(date_trunc('month', t.due_at) AS DATE) AS bucket, count(*) AS due,
       count(*) FILTER (WHERE t.status = 'done') AS done,
       count(*) FILTER (WHERE t.satisfaction IS NOT NULL) AS rated,
       count(*) FILTER (WHERE t.satisfaction IS NOT NULL AND t.satisfaction <> 'unsatisfied') AS satisfied
FROM revisit_tasks t
WHERE t.status <> 'cancelled'
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
  AND t.due_at >= $period_start AND t.due_at < least($period_end, $now)
GROUP BY ALL
ORDER BY bucket
