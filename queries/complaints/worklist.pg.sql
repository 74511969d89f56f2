-- PostgreSQL twin of complaints/worklist (run natively by Database.df on a PostgreSQL store,
-- docs/storage.md slice 8): the same columns and rows, the macros written out (in_scope,
-- complaints_filtered, complaint_overdue, complaint_done, mask_phone) so that PostgreSQL plans the
-- scope and the filters itself: one project through complaints_project, the group's first page
-- through complaints_desk_order (migration pg/027) instead of pulling the table into DuckDB.
-- Params: $scope_kind, $scope_id, $now, $status, $grade, $category_id (first or second level),
-- $department_id, $project_id, $overdue_only, $assignee_id, $date_from, $date_to, $text,
-- $escalated_only, $limit, $offset
WITH f AS (
    SELECT c.*,
           c.import_batch_id IS NULL AND c.status <> 'suspended' AND (
               CASE WHEN c.first_response_due_at IS NULL THEN FALSE
                    WHEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) IS NOT NULL
                        THEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) > c.first_response_due_at
                    ELSE $now::timestamptz > c.first_response_due_at END
               OR CASE WHEN c.resolve_due_at IS NULL THEN FALSE
                       WHEN coalesce(c.resolved_at, c.closed_at) IS NOT NULL
                           THEN coalesce(c.resolved_at, c.closed_at) > c.resolve_due_at
                       ELSE $now::timestamptz > c.resolve_due_at END) AS overdue
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
      AND ($status::text IS NULL OR c.status = $status::text)
), pick AS (
    SELECT * FROM f
    WHERE NOT $overdue_only::boolean OR f.overdue
    ORDER BY (f.status IN ('resolved', 'revisited', 'closed')), f.resolve_due_at, f.id
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT f.id, f.code, f.status, f.grade, f.urgency, f.validity, f.received_at, f.resolve_due_at,
       f.first_response_due_at, f.overdue,
       f.import_batch_id IS NOT NULL AS imported,
       f.escalation_level, f.owner_level,
       p.name AS project, f.unit_text, f.complainant_name,
       CASE WHEN $scope_kind::text = 'project' THEN f.complainant_phone
            WHEN f.complainant_phone IS NULL THEN NULL
            WHEN length(f.complainant_phone) >= 7
                THEN left(f.complainant_phone, 3) || '****' || right(f.complainant_phone, 4)
            ELSE '****' END AS phone,
       cat.name AS category, cat.name_en AS category_en, d.name AS department,
       d.name_en AS department_en, u.display_name AS assignee,
       left(f.description, 60) AS summary, f.version
FROM pick f
JOIN projects p ON p.id = f.project_id
JOIN categories cat ON cat.id = f.category_id
LEFT JOIN departments d ON d.id = f.department_id
LEFT JOIN users u ON u.id = f.assignee_id
ORDER BY (f.status IN ('resolved', 'revisited', 'closed')), f.resolve_due_at, f.id
