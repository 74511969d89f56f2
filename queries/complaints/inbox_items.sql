-- Returns: a user's open work: complaints assigned to them, unread notices (major, escalated,
-- reopened, quality), complaints due today in their scope; newest notice first.
-- Params: $user_id, $scope_kind, $scope_id, $now, $day_end, $with_due_today (the desk roles;
-- for a manager or head office "due today" is the whole branch or company, not their own work)
SELECT 'notice' AS source, n.id AS notice_id, n.kind, c.id AS complaint_id, c.code, c.status,
       c.resolve_due_at AS due_at, p.name AS project, left(c.description, 50) AS summary, n.created_at
FROM notifications n JOIN complaints c ON c.id = n.complaint_id JOIN projects p ON p.id = c.project_id
WHERE n.user_id = $user_id AND n.read_at IS NULL
UNION ALL
SELECT 'assigned', NULL, 'assigned', c.id, c.code, c.status, c.resolve_due_at, p.name,
       left(c.description, 50), c.dispatched_at
FROM complaints c JOIN projects p ON p.id = c.project_id
WHERE c.assignee_id = $user_id AND c.status IN ('dispatched', 'in_progress', 'suspended')
UNION ALL
SELECT 'due_today', NULL, 'due_today', c.id, c.code, c.status, c.resolve_due_at, p.name,
       left(c.description, 50), c.received_at
FROM complaints c JOIN projects p ON p.id = c.project_id
WHERE $with_due_today AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.status IN ('received', 'judged', 'dispatched', 'in_progress')
  AND c.resolve_due_at >= $now AND c.resolve_due_at < $day_end
ORDER BY 10 DESC NULLS LAST
LIMIT 200
