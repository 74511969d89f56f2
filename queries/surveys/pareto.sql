-- Returns: the Pareto table (排列图) of unsatisfied items of a wave within the scope, optionally one
-- project: 不满意 count per item, most first, its share and the cumulative share of all 不满意.
-- Read from survey_item_counts. Params: $wave_id, $scope_kind, $scope_id, $project_id
WITH per_item AS (
    SELECT i.item_key, i.text_zh, i.text_en, d.name AS dimension_name, i.sort, sum(c.n1) AS n_unsatisfied
    FROM survey_item_counts c
    JOIN survey_waves w ON w.id = c.wave_id
    JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = c.item_key
    JOIN survey_dimensions d ON d.code = i.dimension
    WHERE c.wave_id = $wave_id
      AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
      AND ($project_id IS NULL OR c.project_id = $project_id)
    GROUP BY ALL
)
SELECT item_key, text_zh, text_en, dimension_name, n_unsatisfied,
       n_unsatisfied::DOUBLE / nullif(sum(n_unsatisfied) OVER (), 0) AS share,
       sum(n_unsatisfied) OVER (ORDER BY n_unsatisfied DESC, sort
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::DOUBLE
           / nullif(sum(n_unsatisfied) OVER (), 0) AS cumulative_share
FROM per_item
WHERE n_unsatisfied > 0
ORDER BY n_unsatisfied DESC, sort
