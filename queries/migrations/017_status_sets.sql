-- The complaint status sets named once (csm/status.py STATUS_SETS; tests/test_status_sets.py
-- checks each macro against its tuple for every status). Queries and macros use these instead
-- of writing a status list out by hand.
CREATE OR REPLACE MACRO complaint_open(status) AS
    status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended');
CREATE OR REPLACE MACRO complaint_done(status) AS
    status IN ('resolved', 'revisited', 'closed');
CREATE OR REPLACE MACRO complaint_awaiting_revisit(status) AS
    status IN ('resolved');
-- open and its clock running (a suspended complaint's clock is stopped: it does not escalate)
CREATE OR REPLACE MACRO complaint_escalatable(status) AS
    status IN ('received', 'judged', 'dispatched', 'in_progress');
CREATE OR REPLACE MACRO complaint_assigned_work(status) AS
    status IN ('dispatched', 'in_progress', 'suspended');

-- Late, for escalation (one definition: the escalation list, its re-check inside the escalating
-- transaction and the tests read these): an escalatable complaint whose first response or
-- resolution is past due and not yet escalated for it (one step per due time).
CREATE OR REPLACE MACRO complaint_late_first_response(status, escalated_first_response, first_response_at,
                                                      first_response_due_at, now) AS
    complaint_escalatable(status) AND NOT escalated_first_response AND first_response_at IS NULL
    AND first_response_due_at < now;
CREATE OR REPLACE MACRO complaint_late_resolve(status, escalated_resolve, resolve_due_at, now) AS
    complaint_escalatable(status) AND NOT escalated_resolve AND resolve_due_at < now;
CREATE OR REPLACE MACRO complaint_late_for_escalation(status, escalated_first_response, first_response_at,
                                                      first_response_due_at, escalated_resolve,
                                                      resolve_due_at, now) AS
    complaint_late_first_response(status, escalated_first_response, first_response_at,
                                  first_response_due_at, now)
    OR complaint_late_resolve(status, escalated_resolve, resolve_due_at, now);

-- The inbox (migration 012, unchanged otherwise) with the named sets instead of status lists.
CREATE OR REPLACE MACRO inbox_of(f_user_id, f_username, f_display_name, scope_kind, scope_id, f_now, f_soon_until,
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
           c.assignee_id = f_user_id AND complaint_assigned_work(c.status) AS mine,
           complaint_overdue(c.status, c.first_response_due_at, c.first_response_at, c.resolve_due_at,
                             c.resolved_at, c.closed_at, f_now) AS overdue,
           CASE WHEN c.first_response_at IS NULL THEN least(c.first_response_due_at, c.resolve_due_at)
                ELSE c.resolve_due_at END AS due_at,  -- as above
           (f_scope_due AND in_scope(scope_kind, scope_id, c.project_id, c.branch_id))
           OR (f_quality_due AND c.owner_level = 'quality_department') AS watched
    FROM complaints c JOIN projects p ON p.id = c.project_id
    WHERE complaint_open(c.status)
) x
WHERE x.mine OR (x.watched AND complaint_escalatable(x.status) AND (x.overdue OR x.due_at < f_soon_until))
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
