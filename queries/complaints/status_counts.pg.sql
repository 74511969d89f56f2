-- PostgreSQL twin of complaints/status_counts (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same rows, the macros written out (complaints_filtered, complaint_overdue).
-- Params: as complaints/worklist, without $status and $overdue_only (every status is counted).
SELECT c.status, count(*) AS n,
       count(*) FILTER (WHERE c.import_batch_id IS NULL AND c.status <> 'suspended' AND (
           CASE WHEN c.first_response_due_at IS NULL THEN FALSE
                WHEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) IS NOT NULL
                    THEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) > c.first_response_due_at
                ELSE $now::timestamptz > c.first_response_due_at END
           OR CASE WHEN c.resolve_due_at IS NULL THEN FALSE
                   WHEN coalesce(c.resolved_at, c.closed_at) IS NOT NULL
                       THEN coalesce(c.resolved_at, c.closed_at) > c.resolve_due_at
                   ELSE $now::timestamptz > c.resolve_due_at END)) AS overdue
FROM complaints c
WHERE ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
  AND ($grade::text IS NULL OR c.grade = $grade::text)
  AND ($department_id::bigint IS NULL OR c.department_id = $department_id::bigint)
  AND ($project_id::bigint IS NULL OR c.project_id = $project_id::bigint)
  AND ($assignee_id::bigint IS NULL OR c.assignee_id = $assignee_id::bigint)
  AND ($date_from::timestamptz IS NULL OR c.received_at >= $date_from::timestamptz)
  AND ($date_to::timestamptz IS NULL OR c.received_at < $date_to::timestamptz)
  AND (NOT $escalated_only::boolean OR c.escalation_level <> 'project')
  AND ($category_id::bigint IS NULL OR c.category_id = $category_id::bigint
       OR c.category_id IN (SELECT id FROM categories WHERE parent_id = $category_id::bigint))
  AND ($text::text IS NULL OR c.code ILIKE '%' || $text::text || '%'
       OR c.complainant_name ILIKE '%' || $text::text || '%'
       OR c.unit_text ILIKE '%' || $text::text || '%' OR c.description ILIKE '%' || $text::text || '%')
GROUP BY c.status
