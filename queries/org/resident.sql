-- Returns: one resident the scope may see, with the due time of its move-in revisit (NULL if
-- none). Params: $id, $scope_kind, $scope_id
SELECT r.id, r.project_id, r.unit_id, r.name, r.relation, r.moved_in_on,
       (SELECT min(t.due_at) FROM revisit_tasks t WHERE t.resident_id = r.id AND t.kind = 'move_in') AS move_in_due
FROM residents r JOIN projects p ON p.id = r.project_id
WHERE r.id = $id AND in_scope($scope_kind, $scope_id, p.id, p.branch_id)
