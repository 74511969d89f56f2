-- Returns: satisfaction rate (macro survey_satisfaction) per wave (approved or closed) within the
-- scope, by $group_by 'all' | 'branch' | 'project'; optionally only the projects in $project_ids
-- (NULL = all), one item ($item_key, compared by its stable key across versions) or one dimension.
-- Params: $scope_kind, $scope_id, $group_by, $project_ids, $item_key, $dimension
SELECT w.id AS wave_id, w.code AS wave_code, w.name AS wave, w.starts_on,
       CASE $group_by WHEN 'project' THEN p.name WHEN 'branch' THEN b.name ELSE 'all' END AS grp,
       count(DISTINCT r.id) AS forms,
       survey_satisfaction(count(*) FILTER (WHERE survey_qualified(a.rating)),
                           count(*) FILTER (WHERE survey_unsatisfied(a.rating))) AS satisfaction_rate
FROM survey_answers a
JOIN survey_responses r ON r.id = a.response_id
JOIN survey_waves w ON w.id = r.wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = a.item_key
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
WHERE w.status <> 'draft'
  AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
  AND ($project_ids IS NULL OR list_contains($project_ids::INTEGER[], r.project_id))
  AND ($item_key IS NULL OR a.item_key = $item_key)
  AND ($dimension IS NULL OR i.dimension = $dimension)
GROUP BY ALL
ORDER BY w.starts_on, w.id, grp
