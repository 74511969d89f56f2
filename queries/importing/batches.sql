-- Returns: the imports the user's scope may see, newest first: an import of one project's rows
-- to users of that project (its branch, the group); an import across projects to the group.
-- Params: $scope_kind, $scope_id, $target (or NULL for all), $limit
SELECT b.id, b.target, b.file_name, b.fingerprint, b.mapping_name, b.project_id, p.name AS project,
       b.added, b.updated, b.same, b.username, b.created_at, b.undone_at, b.undone_by,
       b.id = (SELECT max(id) FROM import_batches l
               WHERE l.target = b.target AND l.undone_at IS NULL) AS is_latest
FROM import_batches b
LEFT JOIN projects p ON p.id = b.project_id
WHERE ($target IS NULL OR b.target = $target)
  AND ($scope_kind = 'group' OR (p.id IS NOT NULL AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)))
ORDER BY b.id DESC
LIMIT $limit
