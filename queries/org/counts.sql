-- Returns: counts of branches, projects, units and residents within a scope.
-- Params: $scope_kind, $scope_id
WITH p AS (
    SELECT id, branch_id FROM projects
    WHERE active AND in_scope($scope_kind, $scope_id, id, branch_id)
)
SELECT
    (SELECT count(DISTINCT branch_id) FROM p) AS branches,
    (SELECT count(*) FROM p) AS projects,
    (SELECT count(*) FROM units u WHERE u.project_id IN (SELECT id FROM p)) AS units,
    (SELECT count(*) FROM residents r WHERE r.project_id IN (SELECT id FROM p)) AS residents
