-- Returns: how many forms of a wave within the scope score under the threshold.
-- Params: $wave_id, $scope_kind, $scope_id, $threshold
SELECT count(*) AS n FROM survey_responses r
WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
  AND r.score < $threshold
