-- Returns: complaints in the scope per status, with the overdue ones of each, for the desk
-- header (same filters as complaint_worklist except status). Params: as complaint_worklist.
SELECT c.status, count(*) AS n,
       count(*) FILTER (WHERE complaint_overdue(c.status, c.first_response_due_at, c.first_response_at,
                        c.resolve_due_at, c.resolved_at, c.closed_at, $now)) AS overdue
FROM complaints c
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND ($grade IS NULL OR c.grade = $grade)
  AND ($department_id IS NULL OR c.department_id = $department_id)
  AND ($project_id IS NULL OR c.project_id = $project_id)
  AND ($assignee_id IS NULL OR c.assignee_id = $assignee_id)
  AND ($date_from IS NULL OR c.received_at >= $date_from)
  AND ($date_to IS NULL OR c.received_at < $date_to)
  AND (NOT $escalated_only OR c.escalation_level <> 'project')
  AND ($category_id IS NULL OR c.category_id = $category_id
       OR c.category_id IN (SELECT id FROM categories WHERE parent_id = $category_id))
  AND ($text IS NULL OR c.code ILIKE '%' || $text || '%' OR c.complainant_name ILIKE '%' || $text || '%'
       OR c.unit_text ILIKE '%' || $text || '%' OR c.description ILIKE '%' || $text || '%')
GROUP BY c.status
