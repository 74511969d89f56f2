-- Returns: the id of a complaint by code, if the scope may see it. Params: $code, $scope_kind, $scope_id
SELECT id FROM complaints
WHERE code = $code AND in_scope($scope_kind, $scope_id, project_id, branch_id)
