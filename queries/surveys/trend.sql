-- Returns: satisfaction rate (macro survey_counts_rate) per wave (approved or closed) within the
-- scope, by $group_by 'all' | 'branch' | 'project'; optionally only the projects in $project_ids
-- (NULL = all), one item ($item_key, compared by its stable key across versions) or one dimension.
-- Read from survey_item_counts. Params: $scope_kind, $scope_id, $group_by, $project_ids, $item_key,
-- $dimension
WITH f AS (
    SELECT r.wave_id, CASE $group_by WHEN 'project' THEN p.name WHEN 'branch' THEN b.name ELSE 'all' END AS grp,
           count(*) AS forms
    FROM survey_responses r JOIN projects p ON p.id = r.project_id JOIN branches b ON b.id = r.branch_id
    WHERE in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
      AND ($project_ids IS NULL OR list_contains($project_ids::INTEGER[], r.project_id))
    GROUP BY ALL
), g AS (
    SELECT w.id AS wave_id, w.code AS wave_code, w.name AS wave, w.starts_on,
           CASE $group_by WHEN 'project' THEN p.name WHEN 'branch' THEN b.name ELSE 'all' END AS grp,
           survey_counts_rate(sum(c.n4), sum(c.n3), sum(c.n2), sum(c.n1)) AS satisfaction_rate
    FROM survey_item_counts c
    JOIN survey_waves w ON w.id = c.wave_id
    JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = c.item_key
    JOIN projects p ON p.id = c.project_id
    JOIN branches b ON b.id = c.branch_id
    WHERE w.status <> 'draft'
      AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
      AND ($project_ids IS NULL OR list_contains($project_ids::INTEGER[], c.project_id))
      AND ($item_key IS NULL OR c.item_key = $item_key)
      AND ($dimension IS NULL OR i.dimension = $dimension)
    GROUP BY ALL
)
SELECT g.wave_id, g.wave_code, g.wave, g.starts_on, g.grp, f.forms, g.satisfaction_rate
FROM g LEFT JOIN f ON f.wave_id = g.wave_id AND f.grp = g.grp
ORDER BY g.starts_on, g.wave_id, g.grp
