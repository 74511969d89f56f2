-- Returns: whether a project is active and inside the scope (one filing's check; the pickers list
-- them all with org/projects_in_scope, the same rule). Params: $project_id, $scope_kind, $scope_id
SELECT count(*) > 0 FROM projects
WHERE id = $project_id AND active AND in_scope($scope_kind, $scope_id, id, branch_id)
