-- Returns: the self-service tokens of a wave and project within the scope, by unit, with whether
-- each household answered (by its link, or on paper / by import: `answered`), for the link sheet
-- and the QR sheet. Params: $wave_id, $project_id, $scope_kind, $scope_id
SELECT t.token, t.unit_text, t.used_at, t.response_id, p.name AS project,
       (t.used_at IS NOT NULL OR EXISTS (
            SELECT 1 FROM survey_responses r
            WHERE r.wave_id = t.wave_id AND r.project_id = t.project_id
              AND (r.unit_id = t.unit_id OR r.unit_text = t.unit_text))) AS answered
FROM survey_tokens t JOIN projects p ON p.id = t.project_id
WHERE t.wave_id = $wave_id AND t.project_id = $project_id
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
ORDER BY t.unit_text
