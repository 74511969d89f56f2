-- Returns: the forms behind a figure (drill-down): forms of a wave within the scope, optionally of
-- one project (survey_responses_list_item: those rating one item 不满意); with score and follow-up
-- revisit. Newest first, at most $limit (the page is
-- picked on survey_responses alone, then joined for display).
-- Params: $wave_id, $scope_kind, $scope_id, $project_id, $limit
WITH pick AS (
    SELECT r.id, r.entered_at FROM survey_responses r
    WHERE r.wave_id = $wave_id
      AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
      AND ($project_id IS NULL OR r.project_id = $project_id)
    ORDER BY r.entered_at DESC, r.id DESC
    LIMIT $limit
)
SELECT r.id, p.name AS project, b.name AS branch, r.form_no, r.unit_text, r.respondent_name,
       r.source, r.returned_on, r.n_rated, r.n_unsatisfied, r.score, r.comments, r.entered_by,
       t.id AS revisit_task_id, t.status AS revisit_status
FROM pick
JOIN survey_responses r ON r.id = pick.id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
LEFT JOIN revisit_tasks t ON t.survey_response_id = r.id AND t.kind = 'survey'
ORDER BY pick.entered_at DESC, pick.id DESC
