-- Returns: the attempts of one task visible in the scope, oldest first.
-- Params: $task_id, $scope_kind, $scope_id
SELECT r.id, r.attempt_at, r.by_user, r.method, r.reached, r.fail_reason, r.person_reached,
       r.relation, r.satisfaction, r.attitude, r.efficiency, r.effect, r.comments, r.serious,
       r.reopened_complaint_id, r.new_complaint_id
FROM revisit_records r JOIN revisit_tasks t ON t.id = r.task_id
WHERE r.task_id = $task_id AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
ORDER BY r.attempt_at, r.id
