-- Returns: the survey statistics table (顾客意见调查统计表) of one wave within the scope, one row per
-- group: $group_by = 'wave' (one row), 'branch', 'project', 'dimension' or 'item'; optionally one
-- branch or project. Counts of each rating, unrated (未表态), and the satisfaction rate of seed 002
-- 4.1.5.2 via the macros survey_counts_rate / survey_satisfaction: qualified (很满意+满意+较满意) /
-- (qualified + 不满意), unrated excluded, NULL when nothing was rated. Read from survey_item_counts.
-- Params: $wave_id, $scope_kind, $scope_id, $group_by, $branch_id, $project_id
WITH f AS (
    SELECT r.project_id, r.branch_id, count(*) AS n FROM survey_responses r
    WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
      AND ($branch_id IS NULL OR r.branch_id = $branch_id)
      AND ($project_id IS NULL OR r.project_id = $project_id)
    GROUP BY ALL
), g AS (
    SELECT
        CASE $group_by WHEN 'branch' THEN b.code WHEN 'project' THEN p.code
                       WHEN 'dimension' THEN i.dimension WHEN 'item' THEN i.item_key ELSE 'all' END AS key,
        CASE $group_by WHEN 'branch' THEN b.name WHEN 'project' THEN p.name
                       WHEN 'dimension' THEN d.name WHEN 'item' THEN i.text_zh ELSE w.name END AS name,
        CASE $group_by WHEN 'branch' THEN b.name WHEN 'project' THEN p.name
                       WHEN 'dimension' THEN d.name_en WHEN 'item' THEN i.text_en ELSE w.name END AS name_en,
        CASE WHEN $group_by IN ('item', 'dimension') THEN i.dimension END AS dimension,
        CASE WHEN $group_by IN ('item', 'dimension') THEN d.name END AS dimension_name,
        CASE WHEN $group_by IN ('item', 'dimension') THEN d.name_en END AS dimension_name_en,
        CASE WHEN $group_by = 'project' THEN b.name END AS branch,
        CASE $group_by WHEN 'branch' THEN b.id WHEN 'project' THEN p.id END AS grp_id,
        min(CASE $group_by WHEN 'item' THEN i.sort WHEN 'dimension' THEN d.sort ELSE 0 END) AS sort,
        sum(c.n4) AS n4, sum(c.n3) AS n3, sum(c.n2) AS n2, sum(c.n1) AS n1, sum(c.n0) AS n0
    FROM survey_item_counts c
    JOIN survey_waves w ON w.id = c.wave_id
    JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = c.item_key
    JOIN survey_dimensions d ON d.code = i.dimension
    JOIN projects p ON p.id = c.project_id
    JOIN branches b ON b.id = c.branch_id
    WHERE c.wave_id = $wave_id
      AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
      AND ($branch_id IS NULL OR c.branch_id = $branch_id)
      AND ($project_id IS NULL OR c.project_id = $project_id)
    GROUP BY ALL
)
SELECT key, name, name_en, dimension, dimension_name, dimension_name_en, branch, sort,
       CASE $group_by WHEN 'branch' THEN (SELECT sum(n) FROM f WHERE f.branch_id = g.grp_id)
                      WHEN 'project' THEN (SELECT sum(n) FROM f WHERE f.project_id = g.grp_id)
                      ELSE (SELECT sum(n) FROM f) END AS forms,
       n4 AS n_very_satisfied, n3 AS n_satisfied, n2 AS n_fairly_satisfied, n1 AS n_unsatisfied,
       n0 AS n_unrated, survey_counts_qualified(n4, n3, n2) AS n_qualified,
       survey_counts_rate(n4, n3, n2, n1) AS satisfaction_rate
FROM g
ORDER BY sort, key
