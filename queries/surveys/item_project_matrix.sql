-- Returns: satisfaction rate (macro survey_counts_rate) and 不满意 count for every item x project
-- of a wave within the scope, optionally one branch, for at most $max_projects projects (in code
-- order: the heat map). Read from survey_item_counts.
-- Params: $wave_id, $scope_kind, $scope_id, $branch_id, $max_projects
SELECT p.code AS project_code, p.name AS project, b.name AS branch, i.item_key, i.text_zh, i.text_en,
       i.sort, d.name AS dimension_name, c.n1 AS n_unsatisfied, c.n4 + c.n3 + c.n2 + c.n1 AS n_rated,
       survey_counts_rate(c.n4, c.n3, c.n2, c.n1) AS satisfaction_rate
FROM survey_item_counts c
JOIN survey_waves w ON w.id = c.wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = c.item_key
JOIN survey_dimensions d ON d.code = i.dimension
JOIN projects p ON p.id = c.project_id
JOIN branches b ON b.id = c.branch_id
WHERE c.wave_id = $wave_id
  AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND ($branch_id IS NULL OR c.branch_id = $branch_id)
  AND c.project_id IN (SELECT p2.id FROM projects p2
                       WHERE in_scope($scope_kind, $scope_id, p2.id, p2.branch_id)
                         AND ($branch_id IS NULL OR p2.branch_id = $branch_id)
                         AND p2.id IN (SELECT project_id FROM survey_wave_projects WHERE wave_id = $wave_id)
                       ORDER BY p2.code LIMIT $max_projects)
ORDER BY p.code, i.sort
