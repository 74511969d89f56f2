-- Returns: the complaint desk's worklist in the scope, filtered, soonest due first (closed and
-- resolved ones after the open ones), at most $limit rows from $offset. Phones masked outside
-- the owning project; an imported complaint is never overdue and is marked `imported` (docs/domain.md);
-- the filters are the macro complaints_filtered (migration 009).
-- Params: $scope_kind, $scope_id, $now, $status, $grade, $category_id (first or second level),
-- $department_id, $project_id, $overdue_only, $assignee_id, $date_from, $date_to, $text,
-- $escalated_only, $limit, $offset
WITH f AS (
    SELECT c.id, c.status, c.resolve_due_at
    FROM complaints_filtered($scope_kind, $scope_id, $grade, $category_id, $department_id, $project_id,
                             $assignee_id, $date_from, $date_to, $text, $escalated_only) c
    WHERE ($status IS NULL OR c.status = $status)
      AND (NOT $overdue_only OR c.import_batch_id IS NULL AND complaint_overdue(c.status, c.first_response_due_at, c.first_response_at,
                                                  c.resolve_due_at, c.resolved_at, c.closed_at, $now))
), pick AS (  -- the page of rows, chosen on the complaints table alone; joined for display after
    SELECT id, complaint_done(status) AS done, resolve_due_at FROM f
    ORDER BY done, resolve_due_at, id
    LIMIT $limit OFFSET $offset
)
SELECT f.id, f.code, f.status, f.grade, f.urgency, f.validity, f.received_at, f.resolve_due_at,
       f.first_response_due_at,
       f.import_batch_id IS NULL AND complaint_overdue(f.status, f.first_response_due_at, f.first_response_at,
                         f.resolve_due_at, f.resolved_at, f.closed_at, $now) AS overdue,
       f.import_batch_id IS NOT NULL AS imported,  -- marked 导入 on the desk: no limit runs for it
       f.escalation_level, f.owner_level,
       p.name AS project, f.unit_text, f.complainant_name,
       CASE WHEN $scope_kind = 'project' THEN f.complainant_phone
            ELSE mask_phone(f.complainant_phone) END AS phone,
       cat.name AS category, cat.name_en AS category_en, d.name AS department,
       d.name_en AS department_en, u.display_name AS assignee,
       left(f.description, 60) AS summary, f.version
FROM pick
JOIN complaints f ON f.id = pick.id
      AND in_scope($scope_kind, $scope_id, f.project_id, f.branch_id)  -- prunes by project (migration 024)
JOIN projects p ON p.id = f.project_id
JOIN categories cat ON cat.id = f.category_id
LEFT JOIN departments d ON d.id = f.department_id
LEFT JOIN users u ON u.id = f.assignee_id
ORDER BY pick.done, pick.resolve_due_at, pick.id
