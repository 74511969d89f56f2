-- Returns: the last $n_waves survey waves (not drafts) in the scope, oldest first: forms issued and
-- returned and the seed 002 counts (qualified, unsatisfied; unrated excluded) in the scope.
-- Params: $scope_kind, $scope_id, $n_waves
WITH w AS (
    SELECT w.id, w.code, w.name, w.starts_on
    FROM survey_waves w
    WHERE w.status <> 'draft'
      AND EXISTS (SELECT 1 FROM survey_wave_projects wp WHERE wp.wave_id = w.id
                  AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id))
    ORDER BY w.starts_on DESC, w.id DESC
    LIMIT $n_waves
), issued AS (
    SELECT wp.wave_id, sum(wp.forms_issued) AS issued FROM survey_wave_projects wp
    WHERE wp.wave_id IN (SELECT id FROM w) AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
    GROUP BY ALL
), returned AS (
    SELECT r.wave_id, count(*) AS returned FROM survey_responses r
    WHERE r.wave_id IN (SELECT id FROM w) AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
    GROUP BY ALL
), counted AS (
    SELECT k.wave_id, sum(survey_counts_qualified(n4, n3, n2)) AS qualified, sum(n1) AS unsatisfied
    FROM survey_item_counts k
    WHERE k.wave_id IN (SELECT id FROM w) AND in_scope($scope_kind, $scope_id, k.project_id, k.branch_id)
    GROUP BY ALL
)
SELECT w.id AS wave_id, w.code, w.name, w.starts_on, coalesce(i.issued, 0) AS issued,
       coalesce(r.returned, 0) AS returned, coalesce(k.qualified, 0) AS qualified,
       coalesce(k.unsatisfied, 0) AS unsatisfied
FROM w LEFT JOIN issued i ON i.wave_id = w.id LEFT JOIN returned r ON r.wave_id = w.id
LEFT JOIN counted k ON k.wave_id = w.id
ORDER BY w.starts_on, w.id
