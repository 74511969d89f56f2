-- Returns: active projects the scope may survey, with their households (default forms issued).
-- Params: $scope_kind, $scope_id
SELECT p.id, p.code, p.name, b.name AS branch, coalesce(p.households,
       (SELECT count(*) FROM units u WHERE u.project_id = p.id)) AS households
FROM projects p JOIN branches b ON b.id = p.branch_id
WHERE p.active AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)
ORDER BY b.code, p.code
