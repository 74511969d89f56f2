-- Returns: a project's units with their building and current resident, if the scope may see
-- the project (the move-in form's unit picker). Params: $project_id, $scope_kind, $scope_id
SELECT u.id, u.code, b.id AS building_id, b.name AS building, r.id AS resident_id,
       r.name AS resident, r.relation
FROM units u JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = u.project_id
LEFT JOIN (SELECT *, row_number() OVER (PARTITION BY unit_id ORDER BY moved_in_on DESC, id DESC) AS rn
           FROM residents WHERE project_id = $project_id) r ON r.unit_id = u.id AND r.rn = 1
WHERE u.project_id = $project_id AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)
ORDER BY b.code, u.code
