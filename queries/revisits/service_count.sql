-- Returns: how many service records revisits/service_list would list without its limit (the same
-- scope, project, type and period): the service page's caption, while it reads only the rows it draws.
-- Params: $scope_kind, $scope_id, $project_id, $service_type, $period_start, $period_end
SELECT count(*) AS n
FROM service_records s
WHERE in_scope($scope_kind, $scope_id, s.project_id, s.branch_id)
  AND ($project_id IS NULL OR s.project_id = $project_id)
  AND ($service_type IS NULL OR s.service_type = $service_type)
  AND s.completed_at >= $period_start AND s.completed_at < $period_end
