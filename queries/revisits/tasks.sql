-- Returns: open revisit tasks in the scope, by bucket (today | overdue | upcoming | all), kind,
-- project and assignee, earliest due first; overdue = due before $now.
-- Params: $scope_kind, $scope_id, $bucket, $kind, $project_id, $assignee_id, $now,
-- $day_start, $day_end (the company's today), $limit
SELECT t.id, t.kind, p.name AS project, t.unit_text, t.contact_name,
       CASE WHEN $scope_kind = 'project' AND t.project_id = $scope_id THEN t.contact_phone
            ELSE mask_phone(t.contact_phone) END AS contact_phone,
       t.event_at, t.due_at, u.display_name AS assignee, t.failed_attempts,
       t.failed_attempts >= rs.max_failed_attempts AS flagged,
       t.due_at < $now AS overdue, t.complaint_id, t.version
FROM revisit_tasks t
JOIN projects p ON p.id = t.project_id
JOIN revisit_settings rs ON rs.kind = t.kind
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.status = 'open'
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($project_id IS NULL OR t.project_id = $project_id)
  AND ($assignee_id IS NULL OR t.assignee_id = $assignee_id)
  AND CASE $bucket
        WHEN 'today' THEN t.due_at >= $day_start AND t.due_at < $day_end
        WHEN 'overdue' THEN t.due_at < $now
        WHEN 'upcoming' THEN t.due_at >= $day_end
        ELSE TRUE END
ORDER BY t.due_at, t.id
LIMIT $limit
