-- Returns: the opinion handling overview (顾客意见处理情况一览表) of wave $wave_id per project in the
-- scope: forms issued and returned, 不满意 answers, forms scoring under the threshold, the
-- revisits those forms called for and how many are done, corrective actions and how many are done.
-- The threshold is the setting survey.score_threshold (70 when unset, as csm.surveys.rules).
-- Params: $scope_kind, $scope_id, $wave_id
SELECT b.name AS branch, p.name AS project, wp.forms_issued AS issued,
       (SELECT count(*) FROM survey_responses r WHERE r.wave_id = wp.wave_id AND r.project_id = wp.project_id)
           AS returned,
       (SELECT coalesce(sum(n1), 0) FROM survey_item_counts k WHERE k.wave_id = wp.wave_id
        AND k.project_id = wp.project_id) AS unsatisfied_answers,
       (SELECT count(*) FROM survey_responses r WHERE r.wave_id = wp.wave_id AND r.project_id = wp.project_id
        AND r.score < coalesce((SELECT TRY_CAST(value AS DOUBLE) FROM settings
                                 WHERE key = 'survey.score_threshold'), 70)) AS low_scores,
       (SELECT count(*) FROM revisit_tasks t JOIN survey_responses r ON r.id = t.survey_response_id
        WHERE r.wave_id = wp.wave_id AND r.project_id = wp.project_id AND t.status <> 'cancelled') AS revisits,
       (SELECT count(*) FROM revisit_tasks t JOIN survey_responses r ON r.id = t.survey_response_id
        WHERE r.wave_id = wp.wave_id AND r.project_id = wp.project_id AND t.status = 'done') AS revisits_done,
       (SELECT count(*) FROM survey_actions a WHERE a.wave_id = wp.wave_id AND a.project_id = wp.project_id
        AND a.status <> 'cancelled') AS actions,
       (SELECT count(*) FROM survey_actions a WHERE a.wave_id = wp.wave_id AND a.project_id = wp.project_id
        AND a.status = 'done') AS actions_done
FROM survey_wave_projects wp
JOIN projects p ON p.id = wp.project_id
JOIN branches b ON b.id = wp.branch_id
WHERE wp.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
ORDER BY b.code, p.code
