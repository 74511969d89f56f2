-- Returns: the self-service tokens of a wave and project within the scope, by unit, with whether
-- each was answered (for the printable sheet). Params: $wave_id, $project_id, $scope_kind, $scope_id
SELECT t.token, t.unit_text, t.used_at, t.response_id, p.name AS project
FROM survey_tokens t JOIN projects p ON p.id = t.project_id
WHERE t.wave_id = $wave_id AND t.project_id = $project_id
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
ORDER BY t.unit_text
