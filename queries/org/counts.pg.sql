-- PostgreSQL twin of org/counts (run natively on a PostgreSQL store, docs/storage.md slice 8): the
-- same row, in_scope written out; the units and residents summed from csm_pg.project_sizes (pg/028,
-- one row per project kept by triggers on units and residents) instead of counting ~1 M rows of
-- each on the head office's home page (1.1 s on busy cores).
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
    (SELECT coalesce(sum(s.units), 0) FROM csm_pg.project_sizes s WHERE s.project_id IN (SELECT id FROM p))::bigint AS units,
    (SELECT coalesce(sum(s.residents), 0) FROM csm_pg.project_sizes s WHERE s.project_id IN (SELECT id FROM p))::bigint AS residents
