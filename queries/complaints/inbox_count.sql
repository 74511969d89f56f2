-- Returns: how many items a user's inbox holds (for the menu). Params: as inbox_items
SELECT (SELECT count(*) FROM notifications n WHERE n.user_id = $user_id AND n.read_at IS NULL)
     + (SELECT count(*) FROM complaints c WHERE c.assignee_id = $user_id
        AND c.status IN ('dispatched', 'in_progress', 'suspended'))
     + (SELECT count(*) FROM complaints c WHERE $with_due_today
        AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
        AND c.status IN ('received', 'judged', 'dispatched', 'in_progress')
        AND c.resolve_due_at >= $now AND c.resolve_due_at < $day_end) AS n
