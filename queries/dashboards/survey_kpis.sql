-- Returns: the latest survey wave in the scope that started before $period_end (one row, or none):
-- forms issued and returned in the scope and the seed 002 counts (qualified = 很满意 + 满意 +
-- 较满意, unsatisfied = 不满意; unrated excluded) from survey_item_counts.
-- Params: $scope_kind, $scope_id, $period_end_date
WITH w AS (
    SELECT w.id, w.code, w.name, w.ends_on
    FROM survey_waves w
    WHERE w.starts_on < $period_end_date AND w.status <> 'draft'
      AND EXISTS (SELECT 1 FROM survey_wave_projects wp WHERE wp.wave_id = w.id
                  AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id))
    ORDER BY w.starts_on DESC, w.id DESC
    LIMIT 1
)
SELECT w.id AS wave_id, w.code AS wave_code, w.name AS wave_name,
       (SELECT sum(forms_issued) FROM survey_wave_projects wp WHERE wp.wave_id = w.id
        AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)) AS issued,
       (SELECT count(*) FROM survey_responses r WHERE r.wave_id = w.id
        AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)) AS returned,
       (SELECT sum(survey_counts_qualified(n4, n3, n2)) FROM survey_item_counts k WHERE k.wave_id = w.id
        AND in_scope($scope_kind, $scope_id, k.project_id, k.branch_id)) AS qualified,
       (SELECT sum(n1) FROM survey_item_counts k WHERE k.wave_id = w.id
        AND in_scope($scope_kind, $scope_id, k.project_id, k.branch_id)) AS unsatisfied
FROM w
