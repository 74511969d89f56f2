-- Returns: one corrective action within the scope. Params: $id, $scope_kind, $scope_id
SELECT * FROM survey_actions a
WHERE a.id = $id AND in_scope($scope_kind, $scope_id, a.project_id, a.branch_id)
