-- Returns: forms of a wave within the scope scoring under the threshold (seed 002 5.4.3), lowest
-- first, with their follow-up revisit (picked on survey_responses alone, then joined for display).
-- Params: $wave_id, $scope_kind, $scope_id, $threshold, $limit
WITH pick AS (
    SELECT r.id, r.score FROM survey_responses r
    WHERE r.wave_id = $wave_id
      AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
      AND r.score < $threshold
    ORDER BY r.score, r.id
    LIMIT $limit
)
SELECT r.id, p.name AS project, b.name AS branch, r.form_no, r.unit_text, r.respondent_name,
       r.source, r.returned_on, r.n_rated, r.n_unsatisfied, r.score,
       t.id AS revisit_task_id, t.status AS revisit_status
FROM pick
JOIN survey_responses r ON r.id = pick.id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
LEFT JOIN revisit_tasks t ON t.survey_response_id = r.id AND t.kind = 'survey'
ORDER BY pick.score, pick.id
