-- Returns: the forms behind a figure (drill-down): forms of a wave within the scope, optionally of
-- one project, and only those rating one item (or any item when $item_key is NULL) 不满意 when
-- $only_unsatisfied; with score and follow-up revisit. Newest first, at most $limit.
-- Params: $wave_id, $scope_kind, $scope_id, $project_id, $item_key, $only_unsatisfied, $limit
SELECT r.id, p.name AS project, b.name AS branch, r.form_no, r.unit_text, r.respondent_name,
       r.source, r.returned_on, r.n_rated, r.n_unsatisfied, r.score, r.comments, r.entered_by,
       t.id AS revisit_task_id, t.status AS revisit_status
FROM survey_responses r
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
LEFT JOIN revisit_tasks t ON t.survey_response_id = r.id AND t.kind = 'survey'
WHERE r.wave_id = $wave_id
  AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
  AND ($project_id IS NULL OR r.project_id = $project_id)
  AND (NOT $only_unsatisfied OR EXISTS (
        SELECT 1 FROM survey_answers a
        WHERE a.response_id = r.id AND survey_unsatisfied(a.rating)
          AND ($item_key IS NULL OR a.item_key = $item_key)))
ORDER BY r.entered_at DESC, r.id DESC
LIMIT $limit
