-- Returns: for the last $n_waves waves (not drafts) in the scope, per branch: the seed 002 counts
-- (qualified, unsatisfied; unrated excluded) — the satisfaction trend per branch.
-- Params: $scope_kind, $scope_id, $n_waves
WITH w AS (
    SELECT w.id, w.code, w.name, w.starts_on FROM survey_waves w
    WHERE w.status <> 'draft'
      AND EXISTS (SELECT 1 FROM survey_wave_projects wp WHERE wp.wave_id = w.id
                  AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id))
    ORDER BY w.starts_on DESC, w.id DESC
    LIMIT $n_waves
)
SELECT w.code AS wave, w.starts_on, b.code AS branch_code, b.name AS branch,
       sum(survey_counts_qualified(k.n4, k.n3, k.n2)) AS qualified, sum(k.n1) AS unsatisfied
FROM survey_item_counts k JOIN w ON w.id = k.wave_id JOIN branches b ON b.id = k.branch_id
WHERE in_scope($scope_kind, $scope_id, k.project_id, k.branch_id)
GROUP BY ALL
ORDER BY w.starts_on, b.code
