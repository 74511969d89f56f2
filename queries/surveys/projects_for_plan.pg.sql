-- PostgreSQL twin of surveys/projects_for_plan (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same columns and rows, in_scope written out; a project without a household count
-- takes its units from csm_pg.project_sizes (pg/028) instead of counting them (0.7-1.2 s for the
-- group through the extension; the survey waves page's plan).
-- Params: $scope_kind, $scope_id
SELECT p.id, p.code, p.name, b.name AS branch, coalesce(p.households, coalesce(s.units, 0)) AS households
FROM projects p JOIN branches b ON b.id = p.branch_id
LEFT JOIN csm_pg.project_sizes s ON s.project_id = p.id
WHERE p.active AND ($scope_kind::text = 'group'
                    OR ($scope_kind::text = 'branch' AND p.branch_id = $scope_id::bigint)
                    OR ($scope_kind::text = 'project' AND p.id = $scope_id::bigint))
ORDER BY b.code, p.code
