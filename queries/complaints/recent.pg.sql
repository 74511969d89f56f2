-- PostgreSQL twin of complaints/recent (run natively on a PostgreSQL store, docs/storage.md
-- slice 8; the intake page reads it on every rerun): the same columns and rows, in_scope written
-- out, so that PostgreSQL reads the newest complaints of the scope from complaints_received /
-- complaints_project_received / complaints_branch_received (pg/028) instead of the extension
-- pulling the scope's complaints into DuckDB to sort them (356 ms).
-- Params: $scope_kind, $scope_id, $limit
SELECT c.code, c.received_at, c.status, p.name AS project, c.unit_text, c.complainant_name,
       left(c.description, 40) AS summary
FROM complaints c JOIN projects p ON p.id = c.project_id
WHERE ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
ORDER BY c.received_at DESC, c.id DESC
LIMIT $limit::bigint
