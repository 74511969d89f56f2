-- Returns: per department, the complaints closed in [$period_start, $period_end) in the scope and
-- the median and 90th percentile of hours from receipt to closing (imported history counts in
-- the period of its own closing time). department NULL = no department.
-- Params: $scope_kind, $scope_id, $period_start, $period_end
SELECT c.department_id, d.name AS department, d.name_en AS department_en, count(*) AS closed,
       quantile_cont((epoch(c.closed_at) - epoch(c.received_at)) / 3600.0, 0.5) AS close_p50,
       quantile_cont((epoch(c.closed_at) - epoch(c.received_at)) / 3600.0, 0.9) AS close_p90
FROM complaints c LEFT JOIN departments d ON d.id = c.department_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.closed_at >= $period_start AND c.closed_at < $period_end
GROUP BY ALL
ORDER BY closed DESC, department
