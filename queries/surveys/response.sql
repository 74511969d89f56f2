-- Returns: one returned form within the scope with its revisit task, if any.
-- Params: $id, $scope_kind, $scope_id
SELECT r.*, p.name AS project, t.id AS revisit_task_id, t.status AS revisit_status
FROM survey_responses r
JOIN projects p ON p.id = r.project_id
LEFT JOIN revisit_tasks t ON t.survey_response_id = r.id AND t.kind = 'survey'
WHERE r.id = $id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
