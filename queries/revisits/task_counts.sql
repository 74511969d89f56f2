-- Returns: open tasks in the scope by bucket: overdue, due today, upcoming, flagged.
-- Params: $scope_kind, $scope_id, $kind, $project_id, $assignee_id, $now, $day_start, $day_end
SELECT count(*) FILTER (WHERE t.due_at < $now) AS overdue,
       count(*) FILTER (WHERE t.due_at >= $day_start AND t.due_at < $day_end) AS today,
       count(*) FILTER (WHERE t.due_at >= $day_end) AS upcoming,
       count(*) FILTER (WHERE t.failed_attempts >= rs.max_failed_attempts) AS flagged
FROM revisit_tasks t JOIN revisit_settings rs ON rs.kind = t.kind
WHERE t.status = 'open'
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($project_id IS NULL OR t.project_id = $project_id)
  AND ($assignee_id IS NULL OR t.assignee_id = $assignee_id)
