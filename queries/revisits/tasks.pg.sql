-- PostgreSQL twin of revisits/tasks (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the revisit queue, the same columns and rows; in_scope written out, mask_phone PostgreSQL's
-- function (pg/025); the open tasks (62,535 of 1.46 M) earliest due first from the partial indexes
-- of pg/028 instead of the extension pulling the tasks into DuckDB (0.7-1.0 s, a minute apart).
-- Params: $scope_kind, $scope_id, $bucket, $kind, $project_id, $assignee_id, $now,
-- $day_start, $day_end (the company's today), $limit
SELECT t.id, t.kind, p.name AS project, t.unit_text, t.contact_name,
       CASE WHEN $scope_kind::text = 'project' AND t.project_id = $scope_id::bigint THEN t.contact_phone
            ELSE mask_phone(t.contact_phone) END AS contact_phone,
       t.event_at, t.due_at, u.display_name AS assignee, t.failed_attempts,
       t.failed_attempts >= rs.max_failed_attempts AS flagged,
       t.due_at < $now::timestamptz AS overdue, t.complaint_id, t.version
FROM revisit_tasks t
JOIN projects p ON p.id = t.project_id
JOIN revisit_settings rs ON rs.kind = t.kind
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.status = 'open'
  AND ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND t.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND t.project_id = $scope_id::bigint))
  AND ($kind::text IS NULL OR t.kind = $kind::text)
  AND ($project_id::bigint IS NULL OR t.project_id = $project_id::bigint)
  AND ($assignee_id::bigint IS NULL OR t.assignee_id = $assignee_id::bigint)
  AND CASE $bucket::text
        WHEN 'today' THEN t.due_at >= $day_start::timestamptz AND t.due_at < $day_end::timestamptz
        WHEN 'overdue' THEN t.due_at < $now::timestamptz
        WHEN 'upcoming' THEN t.due_at >= $day_end::timestamptz
        ELSE TRUE END
ORDER BY t.due_at, t.id
LIMIT $limit::bigint
