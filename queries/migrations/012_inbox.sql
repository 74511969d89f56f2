-- The inbox (我的待办) in one place: the home page's list, its count and the menu's count all
-- read inbox_of(...), so they cannot disagree. One row per thing a user must act on:
--   notice     an unread notice (major, important, escalated, quality, reopened, assigned);
--   complaint  one row per open complaint: assigned to the user, or overdue / due soon in the
--              user's scope (f_scope_due: supervisors and managers) or owned by the quality
--              department (f_quality_due: head office); kind assigned | overdue | due_soon;
--   revisit    an open revisit task due today or overdue, assigned to the user (f_revisits), or
--              unassigned in the user's scope (f_revisits_unassigned: clerks);
--   action     a corrective action past its deadline in the user's scope, for the managers of
--              corrective actions (f_actions_scope) or for its owner named as the user (f_actions_owned).
-- The flags come from csm.complaints.inbox_params (roles, page access); due soon = a due time
-- not yet met before f_soon_until. sort_group: notices first (newest first), then the rest by
-- due time, the earliest (most overdue) first.
CREATE MACRO inbox_of(f_user_id, f_username, f_display_name, scope_kind, scope_id, f_now, f_soon_until,
                      f_day_end, f_today, f_scope_due, f_quality_due, f_revisits, f_revisits_unassigned,
                      f_actions_scope, f_actions_owned) AS TABLE
SELECT 'notice' AS source, n.kind, c.id AS ref_id, n.id AS notice_id, c.id AS complaint_id, c.code,
       c.status, p.name AS project,
       -- the next due time not yet met: the first response while nobody answered, else the resolution
       CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
            ELSE c.resolve_due_at END AS due_at, CAST(NULL AS DATE) AS due_on,
       complaint_overdue(c.status, c.first_response_due_at, c.first_response_at, c.resolve_due_at,
                         c.resolved_at, c.closed_at, f_now) AS overdue,
       left(c.description, 60) AS summary, 0 AS sort_group, -epoch(n.created_at) AS sort_key
FROM notifications n JOIN complaints c ON c.id = n.complaint_id JOIN projects p ON p.id = c.project_id
WHERE n.user_id = f_user_id AND n.read_at IS NULL
UNION ALL
SELECT 'complaint', CASE WHEN x.mine THEN 'assigned' WHEN x.overdue THEN 'overdue' ELSE 'due_soon' END,
       x.id, NULL, x.id, x.code, x.status, x.project, x.due_at, NULL, x.overdue, x.summary, 1, epoch(x.due_at)
FROM (
    SELECT c.id, c.code, c.status, p.name AS project, left(c.description, 60) AS summary,
           c.assignee_id = f_user_id AND c.status IN ('dispatched', 'in_progress', 'suspended') AS mine,
           complaint_overdue(c.status, c.first_response_due_at, c.first_response_at, c.resolve_due_at,
                             c.resolved_at, c.closed_at, f_now) AS overdue,
           CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
                ELSE c.resolve_due_at END AS due_at,  -- as above
           (f_scope_due AND in_scope(scope_kind, scope_id, c.project_id, c.branch_id))
           OR (f_quality_due AND c.owner_level = 'quality_department') AS watched
    FROM complaints c JOIN projects p ON p.id = c.project_id
    WHERE c.status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended')
) x
WHERE x.mine OR (x.watched AND x.status <> 'suspended' AND (x.overdue OR x.due_at < f_soon_until))
UNION ALL
SELECT 'revisit', CASE WHEN t.due_at < f_now THEN 'revisit_overdue' ELSE 'revisit_due' END, t.id, NULL,
       t.complaint_id, '#' || t.id, t.kind, p.name, t.due_at, NULL, t.due_at < f_now,
       trim(concat_ws(' ', t.unit_text, t.contact_name)), 1, epoch(t.due_at)
FROM revisit_tasks t JOIN projects p ON p.id = t.project_id
WHERE t.status = 'open' AND t.due_at < f_day_end
  AND in_scope(scope_kind, scope_id, t.project_id, t.branch_id)
  AND ((f_revisits AND t.assignee_id = f_user_id) OR (f_revisits_unassigned AND t.assignee_id IS NULL))
UNION ALL
SELECT 'action', 'action_overdue', a.id, NULL, NULL, '#' || a.id, a.status, p.name, NULL, a.deadline, TRUE,
       left(a.problem, 60), 1, epoch(CAST(a.deadline AS TIMESTAMP))
FROM survey_actions a JOIN projects p ON p.id = a.project_id
WHERE survey_action_overdue(a.status, a.deadline, f_today)
  AND in_scope(scope_kind, scope_id, a.project_id, a.branch_id)
  AND (f_actions_scope OR (f_actions_owned AND a.owner IN (f_username, f_display_name)));
