-- Returns: the id of a complaint if the scope may see it (the desk's ?complaint= link).
-- Params: $id, $scope_kind, $scope_id
SELECT id FROM complaints
WHERE id = $id AND in_scope($scope_kind, $scope_id, project_id, branch_id)
