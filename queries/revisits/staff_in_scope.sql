-- Returns: active clerks, supervisors and managers whose own scope lies within the given scope
-- (who a revisit can be assigned to). Params: $scope_kind, $scope_id
SELECT u.id, u.display_name, u.role
FROM users u
LEFT JOIN projects p ON u.scope_kind = 'project' AND p.id = u.scope_id
WHERE u.active AND u.role IN ('clerk', 'supervisor', 'manager')
  AND ((u.scope_kind = 'project' AND in_scope($scope_kind, $scope_id, p.id, p.branch_id))
    OR (u.scope_kind = 'branch' AND ($scope_kind = 'group'
                                     OR ($scope_kind = 'branch' AND u.scope_id = $scope_id))))
ORDER BY u.role, u.display_name
