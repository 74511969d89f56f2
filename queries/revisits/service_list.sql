-- Returns: the service records (repairs, paid services) in the scope completed in
-- [$period_start, $period_end), of one project and type when given, newest first, at most $limit,
-- with the status of each one's revisit. The phone is masked outside the owning project (macro
-- mask_phone); at group scope csm.revisits.reads.service_list leaves the resident out (csm/privacy.py).
-- Params: $scope_kind, $scope_id, $project_id, $service_type, $period_start, $period_end, $limit
SELECT s.id, s.completed_at, p.name AS project, s.unit_text, s.resident_name,
       CASE WHEN $scope_kind = 'project' THEN s.resident_phone ELSE mask_phone(s.resident_phone) END AS resident_phone,
       s.service_type, d.name AS department, d.name_en AS department_en, s.completed_by, s.description,
       s.external_ref, (s.import_batch IS NOT NULL OR s.import_batch_id IS NOT NULL) AS imported,
       (SELECT t.status FROM revisit_tasks t WHERE t.service_record_id = s.id ORDER BY t.id DESC LIMIT 1)
           AS revisit_status
FROM service_records s
JOIN projects p ON p.id = s.project_id
LEFT JOIN departments d ON d.id = s.department_id
WHERE in_scope($scope_kind, $scope_id, s.project_id, s.branch_id)
  AND ($project_id IS NULL OR s.project_id = $project_id)
  AND ($service_type IS NULL OR s.service_type = $service_type)
  AND s.completed_at >= $period_start AND s.completed_at < $period_end
ORDER BY s.completed_at DESC, s.id DESC
LIMIT $limit
