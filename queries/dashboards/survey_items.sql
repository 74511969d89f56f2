-- Returns: the survey items of one wave within the scope (a branch or a project drilled into on
-- the comparison), one row per item of the wave's questionnaire in its order: counts of each
-- rating from survey_item_counts, unrated (未表态) apart, and the seed 002 satisfaction rate
-- (qualified / (qualified + 不满意), NULL when nobody rated the item). No resident data.
-- Params: $scope_kind, $scope_id, $wave_id
WITH c AS (
    SELECT item_key, sum(n4) AS n4, sum(n3) AS n3, sum(n2) AS n2, sum(n1) AS n1, sum(n0) AS n0
    FROM survey_item_counts
    WHERE wave_id = $wave_id AND in_scope($scope_kind, $scope_id, project_id, branch_id)
    GROUP BY item_key
)
SELECT i.item_key, i.text_zh, i.text_en, i.dimension, d.name AS dimension_name, d.name_en AS dimension_name_en,
       coalesce(c.n4, 0) AS n4, coalesce(c.n3, 0) AS n3, coalesce(c.n2, 0) AS n2, coalesce(c.n1, 0) AS n1,
       coalesce(c.n0, 0) AS n0, survey_counts_qualified(c.n4, c.n3, c.n2) AS qualified,
       survey_counts_qualified(c.n4, c.n3, c.n2) + coalesce(c.n1, 0) AS rated,
       survey_counts_rate(c.n4, c.n3, c.n2, c.n1) AS satisfaction
FROM survey_waves w
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id
JOIN survey_dimensions d ON d.code = i.dimension
LEFT JOIN c ON c.item_key = i.item_key
WHERE w.id = $wave_id
ORDER BY d.sort, i.sort, i.item_key
