-- Returns: the survey statistics table (顾客意见调查统计表) of one wave within the scope, one row per
-- group: $group_by = 'wave' (one row), 'branch', 'project', 'dimension' or 'item'; optionally one
-- branch or project. Counts of each rating, unrated (未表态), and the satisfaction rate of seed 002
-- 4.1.5.2 via the macro survey_satisfaction: qualified (很满意+满意+较满意) / (qualified + 不满意),
-- unrated excluded, NULL when nothing was rated.
-- Params: $wave_id, $scope_kind, $scope_id, $group_by, $branch_id, $project_id
SELECT
    CASE $group_by WHEN 'branch' THEN b.code WHEN 'project' THEN p.code
                   WHEN 'dimension' THEN i.dimension WHEN 'item' THEN i.item_key ELSE 'all' END AS key,
    CASE $group_by WHEN 'branch' THEN b.name WHEN 'project' THEN p.name
                   WHEN 'dimension' THEN d.name WHEN 'item' THEN i.text_zh ELSE w.name END AS name,
    CASE $group_by WHEN 'branch' THEN b.name WHEN 'project' THEN p.name
                   WHEN 'dimension' THEN d.name_en WHEN 'item' THEN i.text_en ELSE w.name END AS name_en,
    CASE WHEN $group_by IN ('item', 'dimension') THEN i.dimension END AS dimension,
    CASE WHEN $group_by IN ('item', 'dimension') THEN d.name END AS dimension_name,
    CASE WHEN $group_by = 'project' THEN b.name END AS branch,
    min(CASE $group_by WHEN 'item' THEN i.sort WHEN 'dimension' THEN d.sort ELSE 0 END) AS sort,
    count(DISTINCT r.id) AS forms,
    count(*) FILTER (WHERE a.rating = 4) AS n_very_satisfied,
    count(*) FILTER (WHERE a.rating = 3) AS n_satisfied,
    count(*) FILTER (WHERE a.rating = 2) AS n_fairly_satisfied,
    count(*) FILTER (WHERE survey_unsatisfied(a.rating)) AS n_unsatisfied,
    count(*) FILTER (WHERE a.rating IS NULL) AS n_unrated,
    count(*) FILTER (WHERE survey_qualified(a.rating)) AS n_qualified,
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
  AND ($project_id IS NULL OR r.project_id = $project_id)
GROUP BY ALL
ORDER BY sort, key
