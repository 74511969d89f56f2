-- Returns: corrective actions (整改) in the scope: open now, overdue now (open past the deadline,
-- macro survey_action_overdue), done in [$period_first, $period_last_excl) by their done date.
-- Params: $scope_kind, $scope_id, $today, $period_first, $period_last_excl
SELECT count(*) FILTER (WHERE a.status = 'open') AS actions_open,
       count(*) FILTER (WHERE survey_action_overdue(a.status, a.deadline, $today)) AS actions_overdue,
       count(*) FILTER (WHERE a.status = 'done' AND a.done_on >= $period_first
                        AND a.done_on < $period_last_excl) AS actions_done
FROM survey_actions a
WHERE in_scope($scope_kind, $scope_id, a.project_id, a.branch_id)
