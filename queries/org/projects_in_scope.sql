-- Returns: active projects a scope may see, for pickers. Params: $scope_kind, $scope_id
SELECT p.id, p.code, p.name, p.branch_id, b.name AS branch
FROM projects p JOIN branches b ON b.id = p.branch_id
WHERE p.active AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)
ORDER BY b.code, p.code
