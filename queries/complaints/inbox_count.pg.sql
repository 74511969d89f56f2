-- PostgreSQL twin of complaints/inbox_count (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the macro inbox_of (migration 022) written out in PostgreSQL's SQL, the same columns
-- and rows (the dates as timestamps, as DuckDB hands a DATE to pandas); its complaint part's
-- condition spread so that each arm has its index (pg/027).
-- The shell reads the count on every rerun a minute apart: through the extension it took 2.8 s.
-- Each arm selects no column (counted, not shown); the notices' join to their complaint and project
-- is read from complaints_id_project (pg/028) alone, no table row fetched for each of the head
-- office's ~19,000 unread notices (0.8 s -> see docs/storage.md).
-- Params: as csm.complaints.inbox_params
SELECT count(*) AS n
FROM (
    SELECT 1
    FROM notifications n JOIN complaints c ON c.id = n.complaint_id JOIN projects p ON p.id = c.project_id
    WHERE n.user_id = $user_id::bigint AND n.read_at IS NULL
    UNION ALL
    SELECT 1
    FROM (
        SELECT c.id, c.code, c.status, p.name AS project, left(c.description, 60) AS summary,
               c.assignee_id = $user_id::bigint AND c.status IN ('dispatched', 'in_progress', 'suspended') AS mine,
               (c.status <> 'suspended' AND (
               CASE WHEN c.first_response_due_at IS NULL THEN FALSE
                    WHEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) IS NOT NULL
                        THEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) > c.first_response_due_at
                    ELSE $now::timestamptz > c.first_response_due_at END
               OR CASE WHEN c.resolve_due_at IS NULL THEN FALSE
                       WHEN coalesce(c.resolved_at, c.closed_at) IS NOT NULL
                           THEN coalesce(c.resolved_at, c.closed_at) > c.resolve_due_at
                       ELSE $now::timestamptz > c.resolve_due_at END)) AS overdue,
               CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
                    ELSE c.resolve_due_at END AS due_at
        FROM complaints c JOIN projects p ON p.id = c.project_id
        WHERE c.status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended')
          AND c.import_batch_id IS NULL
          -- the macro's `mine OR (watched AND …)` with `watched` spread over its two arms, each an
          -- index PostgreSQL can use (pg/027): mine, the scope's, the quality department's
          AND ((c.assignee_id = $user_id::bigint AND c.status IN ('dispatched', 'in_progress', 'suspended'))
               OR ($scope_due::boolean
                   AND ($scope_kind::text = 'group'
                        OR ($scope_kind::text = 'branch' AND c.branch_id = $scope_id::bigint)
                        OR ($scope_kind::text = 'project' AND c.project_id = $scope_id::bigint))
                   AND c.status IN ('received', 'judged', 'dispatched', 'in_progress')
                   AND ((c.status <> 'suspended' AND (
               CASE WHEN c.first_response_due_at IS NULL THEN FALSE
                    WHEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) IS NOT NULL
                        THEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) > c.first_response_due_at
                    ELSE $now::timestamptz > c.first_response_due_at END
               OR CASE WHEN c.resolve_due_at IS NULL THEN FALSE
                       WHEN coalesce(c.resolved_at, c.closed_at) IS NOT NULL
                           THEN coalesce(c.resolved_at, c.closed_at) > c.resolve_due_at
                       ELSE $now::timestamptz > c.resolve_due_at END)) OR CASE WHEN c.first_response_at IS NULL
                                        THEN least(c.first_response_due_at, c.resolve_due_at)
                                        ELSE c.resolve_due_at END < $soon_until::timestamptz))
               OR ($quality_due::boolean AND c.owner_level = 'quality_department'
                   AND c.status IN ('received', 'judged', 'dispatched', 'in_progress')
                   AND ((c.status <> 'suspended' AND (
               CASE WHEN c.first_response_due_at IS NULL THEN FALSE
                    WHEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) IS NOT NULL
                        THEN coalesce(c.first_response_at, c.resolved_at, c.closed_at) > c.first_response_due_at
                    ELSE $now::timestamptz > c.first_response_due_at END
               OR CASE WHEN c.resolve_due_at IS NULL THEN FALSE
                       WHEN coalesce(c.resolved_at, c.closed_at) IS NOT NULL
                           THEN coalesce(c.resolved_at, c.closed_at) > c.resolve_due_at
                       ELSE $now::timestamptz > c.resolve_due_at END)) OR CASE WHEN c.first_response_at IS NULL
                                        THEN least(c.first_response_due_at, c.resolve_due_at)
                                        ELSE c.resolve_due_at END < $soon_until::timestamptz)))
    ) x
    UNION ALL
    SELECT 1
    FROM revisit_tasks t JOIN projects p ON p.id = t.project_id
    WHERE t.status = 'open' AND t.due_at < $day_end::timestamptz
      AND ($scope_kind::text = 'group'
           OR ($scope_kind::text = 'branch' AND t.branch_id = $scope_id::bigint)
           OR ($scope_kind::text = 'project' AND t.project_id = $scope_id::bigint))
      AND (($revisits::boolean AND t.assignee_id = $user_id::bigint)
           OR ($revisits_unassigned::boolean AND t.assignee_id IS NULL))
    UNION ALL
    SELECT 1
    FROM survey_actions a JOIN projects p ON p.id = a.project_id
    WHERE a.status = 'open' AND a.deadline < $today::date
      AND ($scope_kind::text = 'group'
           OR ($scope_kind::text = 'branch' AND a.branch_id = $scope_id::bigint)
           OR ($scope_kind::text = 'project' AND a.project_id = $scope_id::bigint))
      AND ($actions_scope::boolean
           OR ($actions_owned::boolean AND a.owner IN ($username::text, $display_name::text)))
) items
