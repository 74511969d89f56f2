-- PostgreSQL twin of revisits/task_counts (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the queue's bucket counts, the same row; in_scope written out; the open tasks from the
-- partial indexes of pg/027 and pg/028 instead of pulled through the extension (0.8 s).
-- Params: $scope_kind, $scope_id, $kind, $project_id, $assignee_id, $now, $day_start, $day_end
SELECT count(*) FILTER (WHERE t.due_at < $now::timestamptz) AS overdue,
       count(*) FILTER (WHERE t.due_at >= $day_start::timestamptz AND t.due_at < $day_end::timestamptz) AS today,
       count(*) FILTER (WHERE t.due_at >= $day_end::timestamptz) AS upcoming,
       count(*) FILTER (WHERE t.failed_attempts >= rs.max_failed_attempts) AS flagged
FROM revisit_tasks t JOIN revisit_settings rs ON rs.kind = t.kind
WHERE t.status = 'open'
  AND ($scope_kind::text = 'group'
       OR ($scope_kind::text = 'branch' AND t.branch_id = $scope_id::bigint)
       OR ($scope_kind::text = 'project' AND t.project_id = $scope_id::bigint))
  AND ($kind::text IS NULL OR t.kind = $kind::text)
  AND ($project_id::bigint IS NULL OR t.project_id = $project_id::bigint)
  AND ($assignee_id::bigint IS NULL OR t.assignee_id = $assignee_id::bigint)
