-- Returns: the name of a scope's branch or project. Params: $scope_kind, $scope_id
SELECT CASE $scope_kind
         WHEN 'branch' THEN (SELECT name FROM branches WHERE id = $scope_id)
         WHEN 'project' THEN (SELECT name FROM projects WHERE id = $scope_id)
       END AS name
