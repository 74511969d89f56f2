-- Returns: corrective actions within the scope: open, overdue (macro survey_action_overdue), done.
-- Params: $scope_kind, $scope_id, $today
SELECT count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE survey_action_overdue(status, deadline, $today)) AS overdue,
       count(*) FILTER (WHERE status = 'done') AS done
FROM survey_actions a
WHERE in_scope($scope_kind, $scope_id, a.project_id, a.branch_id)
