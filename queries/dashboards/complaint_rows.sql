-- Returns: the complaints behind a chart mark: received in [$period_start, $period_end) in the
-- scope, optionally of one first-level category ($category code or NULL), newest first, at most
-- $limit rows; names and phones are not returned (group-scope safe).
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $category, $limit
SELECT c.id, c.code, c.received_at, p.name AS project, coalesce(top.name, cat.name) AS category,
       coalesce(top.name_en, cat.name_en) AS category_en, cat.name AS subcategory,
       cat.name_en AS subcategory_en, c.status, c.grade, c.resolve_due_at, left(c.description, 80) AS summary
FROM complaints c
JOIN projects p ON p.id = c.project_id
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories top ON top.id = cat.parent_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.received_at >= $period_start AND c.received_at < $period_end
  AND ($category IS NULL OR coalesce(top.code, cat.code) = $category)
ORDER BY c.received_at DESC
LIMIT $limit
