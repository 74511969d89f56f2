-- Returns: one complaint with its names, if the scope may see it (NULL row otherwise).
-- Phones are masked outside the owning project (DOMAIN.md §1); received_by_name is the
-- display name of the user who took it.
-- Params: $id, $scope_kind, $scope_id, $now
SELECT c.*, p.name AS project, p.code AS project_code, b.name AS branch,
       cat.name AS category, cat.name_en AS category_en, parent.name AS category_parent,
       parent.name_en AS category_parent_en, cat.parent_id AS category_parent_id,
       ch.name AS channel, ch.name_en AS channel_en, ch.origin AS channel_origin,
       d.name AS department, d.name_en AS department_en, u.display_name AS assignee,
       coalesce(rb.display_name, c.received_by) AS received_by_name,
       CASE WHEN $scope_kind = 'project' THEN c.complainant_phone
            ELSE mask_phone(c.complainant_phone) END AS phone_shown,
       c.import_batch_id IS NULL AND complaint_overdue(c.status, c.first_response_due_at, c.first_response_at,
                         c.resolve_due_at, c.resolved_at, c.closed_at, $now) AS overdue,
       l.code AS linked_code
FROM complaints c
JOIN projects p ON p.id = c.project_id
JOIN branches b ON b.id = c.branch_id
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories parent ON parent.id = cat.parent_id
JOIN channels ch ON ch.id = c.channel_id
LEFT JOIN departments d ON d.id = c.department_id
LEFT JOIN users u ON u.id = c.assignee_id
LEFT JOIN users rb ON rb.username = c.received_by
LEFT JOIN complaints l ON l.id = c.linked_to_id
WHERE c.id = $id AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
