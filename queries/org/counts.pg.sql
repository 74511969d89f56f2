-- PostgreSQL twin of org/counts (run natively on a PostgreSQL store, docs/storage.md slice 8): the
-- same row, in_scope written out; units and residents counted in PostgreSQL by their project
-- indexes (pg/027, index-only after the loader's VACUUM) instead of pulled through the extension.
-- Params: $scope_kind, $scope_id
WITH p AS (
    SELECT id, branch_id FROM projects
    WHERE active AND ($scope_kind::text = 'group'
                      OR ($scope_kind::text = 'branch' AND branch_id = $scope_id::bigint)
                      OR ($scope_kind::text = 'project' AND id = $scope_id::bigint))
)
SELECT
    (SELECT count(DISTINCT branch_id) FROM p) AS branches,
    (SELECT count(*) FROM p) AS projects,
    (SELECT count(*) FROM units u WHERE u.project_id IN (SELECT id FROM p)) AS units,
    (SELECT count(*) FROM residents r WHERE r.project_id IN (SELECT id FROM p)) AS residents
