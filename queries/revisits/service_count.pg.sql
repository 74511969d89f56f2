-- PostgreSQL twin of revisits/service_count (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the count of revisits/service_list.pg's rows without its limit, in_scope written out.
-- Params: $scope_kind, $scope_id, $project_id, $service_type, $period_start, $period_end
SELECT count(*) AS n
FROM service_records s
WHERE ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND s.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND s.project_id = $scope_id::bigint))
  AND ($project_id::bigint IS NULL OR s.project_id = $project_id::bigint)
  AND ($service_type::text IS NULL OR s.service_type = $service_type::text)
  AND s.completed_at >= $period_start::timestamptz AND s.completed_at < $period_end::timestamptz
