-- PostgreSQL twin of org/units (run natively on a PostgreSQL store, docs/storage.md slice 8): the
-- residents page's unit picker, in_scope written out; the project's units and residents by their
-- project indexes (pg/027) instead of pulling both tables into DuckDB (93 ms).
-- Params: $project_id, $scope_kind, $scope_id
SELECT u.id, u.code, b.id AS building_id, b.name AS building, r.id AS resident_id,
       r.name AS resident, r.relation
FROM units u JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = u.project_id
LEFT JOIN (SELECT *, row_number() OVER (PARTITION BY unit_id ORDER BY moved_in_on DESC, id DESC) AS rn
           FROM residents WHERE project_id = $project_id::bigint) r ON r.unit_id = u.id AND r.rn = 1
WHERE u.project_id = $project_id::bigint
  AND ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND p.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND p.id = $scope_id::bigint))
ORDER BY b.code, u.code
