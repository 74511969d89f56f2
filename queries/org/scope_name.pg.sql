-- PostgreSQL twin of org/scope_name (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same SQL, its parameters typed; read by the shell's header. Params: $scope_kind, $scope_id
SELECT CASE $scope_kind::text
         WHEN 'branch' THEN (SELECT name FROM branches WHERE id = $scope_id::bigint)
         WHEN 'project' THEN (SELECT name FROM projects WHERE id = $scope_id::bigint)
       END AS name
