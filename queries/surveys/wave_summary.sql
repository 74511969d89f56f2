-- Returns: one row for a wave within the scope: forms issued and returned, return rate, projects
-- below the return-rate target, satisfaction rate (macro survey_counts_rate), mean score and
-- forms under the score threshold (one pass over the wave's forms, counts from survey_item_counts).
-- Params: $wave_id, $scope_kind, $scope_id, $target, $threshold
WITH resp AS (
    SELECT r.project_id, count(*) AS returned, sum(r.score) AS score_sum, count(r.score) AS scored,
           count(*) FILTER (WHERE r.score < $threshold) AS low
    FROM survey_responses r
    WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
    GROUP BY r.project_id
), wp AS (
    SELECT wp.project_id, wp.forms_issued, coalesce(resp.returned, 0) AS returned
    FROM survey_wave_projects wp LEFT JOIN resp ON resp.project_id = wp.project_id
    WHERE wp.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
), ans AS (
    SELECT sum(c.n4) AS n4, sum(c.n3) AS n3, sum(c.n2) AS n2, sum(c.n1) AS n1, sum(c.n0) AS n0
    FROM survey_item_counts c
    WHERE c.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
), totals AS (
    SELECT (SELECT count(*) FROM wp) AS projects,
           (SELECT coalesce(sum(forms_issued), 0) FROM wp) AS forms_issued,
           (SELECT coalesce(sum(returned), 0) FROM resp) AS returned,
           (SELECT count(*) FROM wp WHERE survey_return_rate(returned, forms_issued) < $target)
               AS projects_below_target,
           (SELECT sum(score_sum) / nullif(sum(scored), 0) FROM resp) AS mean_score,
           (SELECT coalesce(sum(low), 0) FROM resp) AS low_scores
)
SELECT totals.projects, totals.forms_issued, totals.returned,
       survey_return_rate(totals.returned, totals.forms_issued) AS return_rate,
       totals.projects_below_target,
       survey_counts_qualified(ans.n4, ans.n3, ans.n2) AS n_qualified,
       coalesce(ans.n1, 0) AS n_unsatisfied, coalesce(ans.n0, 0) AS n_unrated,
       survey_counts_rate(ans.n4, ans.n3, ans.n2, ans.n1) AS satisfaction_rate,
       totals.mean_score, totals.low_scores
FROM totals, ans
