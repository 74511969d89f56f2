-- Returns: per month (company time zone) of the resolve limit, in [$period_start, least($period_end,
-- $now)): complaints whose limit fell then (due) and those answered by it (on_time) — the on-time
-- rate of csm.dashboards.kpis per month.
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $now
SELECT CAST(date_trunc('month', c.resolve_due_at) AS DATE) AS bucket, count(*) AS due,
       count(*) FILTER (WHERE coalesce(c.resolved_at, c.closed_at) <= c.resolve_due_at) AS on_time
FROM complaints c
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.resolve_due_at >= $period_start AND c.resolve_due_at < least($period_end, $now)
GROUP BY ALL
ORDER BY bucket
