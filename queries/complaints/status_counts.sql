-- Returns: complaints in the scope per status, with the overdue ones of each, for the desk
-- header (imported complaints never overdue; the filters of complaints/worklist, macro complaints_filtered, except status).
-- Params: as complaints/worklist, without $status and $overdue_only (every status is counted).
SELECT c.status, count(*) AS n,
       count(*) FILTER (WHERE c.import_batch_id IS NULL AND complaint_overdue(c.status, c.first_response_due_at, c.first_response_at,
                        c.resolve_due_at, c.resolved_at, c.closed_at, $now)) AS overdue
FROM complaints_filtered($scope_kind, $scope_id, $grade, $category_id, $department_id, $project_id,
                         $assignee_id, $date_from, $date_to, $text, $escalated_only) c
GROUP BY c.status
