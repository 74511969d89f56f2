-- Returns: one row for a wave within the scope: forms issued and returned, return rate, projects
-- below the return-rate target, satisfaction rate (macro survey_satisfaction), mean score and
-- forms under the score threshold. Params: $wave_id, $scope_kind, $scope_id, $target, $threshold
WITH wp AS (
    SELECT wp.project_id, wp.forms_issued,
           (SELECT count(*) FROM survey_responses r
            WHERE r.wave_id = wp.wave_id AND r.project_id = wp.project_id) AS returned
    FROM survey_wave_projects wp
    WHERE wp.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
), resp AS (
    SELECT r.id, r.score FROM survey_responses r
    WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
), ans AS (
    SELECT survey_counts_qualified(sum(c.n4), sum(c.n3), sum(c.n2)) AS n_qualified,
           coalesce(sum(c.n1), 0) AS n_unsatisfied, coalesce(sum(c.n0), 0) AS n_unrated
    FROM survey_item_counts c
    WHERE c.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
)
SELECT (SELECT count(*) FROM wp) AS projects,
       (SELECT coalesce(sum(forms_issued), 0) FROM wp) AS forms_issued,
       (SELECT count(*) FROM resp) AS returned,
       survey_return_rate((SELECT count(*) FROM resp), (SELECT sum(forms_issued) FROM wp)) AS return_rate,
       (SELECT count(*) FROM wp WHERE survey_return_rate(returned, forms_issued) < $target)
           AS projects_below_target,
       ans.n_qualified, ans.n_unsatisfied, ans.n_unrated,
       survey_satisfaction(ans.n_qualified, ans.n_unsatisfied) AS satisfaction_rate,
       (SELECT avg(score) FROM resp) AS mean_score,
       (SELECT count(*) FROM resp WHERE score < $threshold) AS low_scores
FROM ans
