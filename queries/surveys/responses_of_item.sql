-- Returns: the forms behind one item's figure (drill-down): forms of a wave within the scope,
-- optionally of one project, that rated item $item_key 不满意; with score and follow-up revisit.
-- Newest first, at most $limit (picked on survey_responses alone, then joined for display).
-- Params: $wave_id, $scope_kind, $scope_id, $project_id, $item_key, $limit
WITH pick AS (
    SELECT r.id, r.entered_at FROM survey_responses r
    WHERE r.wave_id = $wave_id
      AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
      AND ($project_id IS NULL OR r.project_id = $project_id)
      AND r.id IN (SELECT a.response_id FROM survey_answers a
                   WHERE a.item_key = $item_key AND survey_unsatisfied(a.rating))
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
