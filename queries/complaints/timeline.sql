-- Returns: a complaint's timeline, oldest first: history lines, handling records, updates given
-- to the resident and revisit attempts, if the scope may see it; `who` is the user's display
-- name where the line was written by a user (handled_by is typed text, kept as typed; NULL =
-- the system). Params: $complaint_id, $scope_kind, $scope_id
WITH c AS (SELECT id FROM complaints WHERE id = $complaint_id
           AND in_scope($scope_kind, $scope_id, project_id, branch_id)),
lines AS (
    SELECT h.at_time AS at_time, 'history' AS kind, h.action, h.actor AS who, TRUE AS is_user, h.field,
           h.from_value, h.to_value, h.note AS content
    FROM complaint_history h JOIN c ON c.id = h.complaint_id
    UNION ALL
    SELECT x.handled_at, 'handling', 'handle', x.handled_by, FALSE, NULL, NULL, NULL, x.content
    FROM complaint_handling x JOIN c ON c.id = x.complaint_id
    UNION ALL
    SELECT g.given_at, 'progress', g.method, g.recorded_by, TRUE, NULL, NULL, NULL, g.content
    FROM complaint_progress g JOIN c ON c.id = g.complaint_id
    UNION ALL
    SELECT r.attempt_at, 'revisit', CASE WHEN r.reached THEN coalesce(r.satisfaction, 'reached')
                                         ELSE coalesce(r.fail_reason, 'failed') END,
           r.by_user, TRUE, NULL, NULL, NULL, r.comments
    FROM revisit_records r JOIN revisit_tasks t ON t.id = r.task_id JOIN c ON c.id = t.complaint_id
)
SELECT l.at_time, l.kind, l.action, CASE WHEN l.is_user THEN coalesce(u.display_name, l.who) ELSE l.who END AS who,
       l.field, l.from_value, l.to_value, l.content
FROM lines l LEFT JOIN users u ON l.is_user AND u.username = l.who
ORDER BY 1, 2
