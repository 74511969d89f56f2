-- Returns: one revisit task visible in the scope, with names for display.
-- Params: $id, $scope_kind, $scope_id
SELECT t.id, t.kind, t.status, t.project_id, p.name AS project, t.unit_text, t.contact_name,
       CASE WHEN $scope_kind = 'project' AND t.project_id = $scope_id THEN t.contact_phone
            ELSE mask_phone(t.contact_phone) END AS contact_phone,
       t.complaint_id, t.service_record_id, t.survey_response_id, t.note, t.event_at, t.due_at,
       t.assignee_id, u.display_name AS assignee, t.failed_attempts, rs.max_failed_attempts,
       t.failed_attempts >= rs.max_failed_attempts AS flagged, t.done_at, t.satisfaction, t.version
FROM revisit_tasks t
JOIN projects p ON p.id = t.project_id
JOIN revisit_settings rs ON rs.kind = t.kind
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.id = $id AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
