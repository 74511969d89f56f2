-- PostgreSQL twin of org/projects_in_scope (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the pickers' project list, read by the intake page on every rerun; in_scope written
-- out, one native round trip instead of the extension's scans of projects and branches.
-- Params: $scope_kind, $scope_id
SELECT p.id, p.code, p.name, p.branch_id, b.name AS branch
FROM projects p JOIN branches b ON b.id = p.branch_id
WHERE p.active AND ($scope_kind::text = 'group'
                    OR ($scope_kind::text = 'branch' AND p.branch_id = $scope_id::bigint)
                    OR ($scope_kind::text = 'project' AND p.id = $scope_id::bigint))
ORDER BY b.code, p.code
