-- Returns: the latest complaints filed in the scope. Params: $scope_kind, $scope_id, $limit
SELECT c.code, c.received_at, c.status, p.name AS project, c.unit_text, c.complainant_name,
       left(c.description, 40) AS summary
FROM complaints c JOIN projects p ON p.id = c.project_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
ORDER BY c.received_at DESC, c.id DESC
LIMIT $limit
