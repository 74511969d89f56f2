-- PostgreSQL twin of revisits/service_list (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same columns and rows, in_scope and mask_phone written out; the newest records by
-- service_records_completed, each one's revisit by revisit_tasks_service (pg/027).
-- Params: $scope_kind, $scope_id, $project_id, $service_type, $period_start, $period_end, $limit
SELECT s.id, s.completed_at, p.name AS project, s.unit_text, s.resident_name,
       CASE WHEN $scope_kind::text = 'project' THEN s.resident_phone
            WHEN s.resident_phone IS NULL THEN NULL
            WHEN length(s.resident_phone) >= 7
                THEN left(s.resident_phone, 3) || '****' || right(s.resident_phone, 4)
            ELSE '****' END AS resident_phone,
       s.service_type, d.name AS department, d.name_en AS department_en, s.completed_by, s.description,
       s.external_ref, (s.import_batch IS NOT NULL OR s.import_batch_id IS NOT NULL) AS imported,
       (SELECT t.status FROM revisit_tasks t WHERE t.service_record_id = s.id ORDER BY t.id DESC LIMIT 1)
           AS revisit_status
FROM service_records s
JOIN projects p ON p.id = s.project_id
LEFT JOIN departments d ON d.id = s.department_id
WHERE ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND s.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND s.project_id = $scope_id::bigint))
  AND ($project_id::bigint IS NULL OR s.project_id = $project_id::bigint)
  AND ($service_type::text IS NULL OR s.service_type = $service_type::text)
  AND s.completed_at >= $period_start::timestamptz AND s.completed_at < $period_end::timestamptz
ORDER BY s.completed_at DESC, s.id DESC
LIMIT $limit::bigint
