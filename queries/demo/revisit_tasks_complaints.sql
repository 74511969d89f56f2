-- Creates the complaint revisits of the demo: resolved complaints have an open task due after
-- resolving (some overdue); revisited and closed ones a done task; reopened ones a done
-- task whose revisit was unsatisfied. Due times: event + the kind's days in revisit_settings
-- (the demo has no working calendars). Params: $anchor
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    complaint_id, resident_id, note, event_at, due_at, status, done_at, satisfaction, assignee_id)
SELECT 'complaint', c.project_id, c.branch_id, c.unit_id, c.unit_text, c.complainant_name, c.complainant_phone,
       c.id, c.resident_id, c.code, ev, ev + to_days((SELECT due_days FROM revisit_settings WHERE kind = 'complaint')),
       CASE WHEN c.status = 'resolved' THEN 'open' ELSE 'done' END,
       CASE WHEN c.status <> 'resolved' THEN least(ev + to_hours(CAST(6 + c.id % 90 AS BIGINT)),
                                                   CAST($anchor AS TIMESTAMPTZ) - INTERVAL 1 HOUR) END,
       CASE WHEN c.status = 'resolved' THEN NULL WHEN c.reopen_count > 0 THEN 'unsatisfied'
            WHEN c.id % 10 < 5 THEN 'very_satisfied' WHEN c.id % 10 < 9 THEN 'satisfied' ELSE 'neutral' END,
       CASE WHEN c.status = 'resolved' AND c.id % 3 = 0 THEN
            (SELECT min(u.id) FROM users u WHERE u.role = 'clerk' AND u.scope_kind = 'project' AND u.scope_id = c.project_id)
       END
FROM (SELECT c.*, CASE WHEN c.reopen_count > 0 THEN c.first_response_at + INTERVAL 1 DAY ELSE c.resolved_at END AS ev
      FROM complaints c
      WHERE (c.resolved_at IS NOT NULL AND c.validity <> 'invalid') OR c.reopen_count > 0) c
