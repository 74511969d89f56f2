-- Is this project inside the actor's scope? (csm.policy.require_project)
-- Params: project_id, scope_kind, scope_id
SELECT count(*) > 0 FROM projects
WHERE id = $project_id AND in_scope($scope_kind, $scope_id, id, branch_id)
