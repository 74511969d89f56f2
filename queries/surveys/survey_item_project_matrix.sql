-- Returns: satisfaction rate (macro survey_satisfaction) and 不满意 count for every item x project
-- of a wave within the scope, optionally one branch (the heat map). Params: $wave_id, $scope_kind,
-- $scope_id, $branch_id
SELECT p.code AS project_code, p.name AS project, b.name AS branch, i.item_key, i.text_zh, i.text_en,
       i.sort, d.name AS dimension_name,
       count(*) FILTER (WHERE survey_unsatisfied(a.rating)) AS n_unsatisfied,
       count(a.rating) AS n_rated,
       survey_satisfaction(count(*) FILTER (WHERE survey_qualified(a.rating)),
                           count(*) FILTER (WHERE survey_unsatisfied(a.rating))) AS satisfaction_rate
FROM survey_answers a
JOIN survey_responses r ON r.id = a.response_id
JOIN survey_waves w ON w.id = r.wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = a.item_key
JOIN survey_dimensions d ON d.code = i.dimension
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
WHERE r.wave_id = $wave_id
  AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
  AND ($branch_id IS NULL OR r.branch_id = $branch_id)
GROUP BY ALL
ORDER BY p.code, i.sort
