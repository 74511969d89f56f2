-- Creates move-in revisits for residents who moved in within the month before $anchor. Due times: event + the kind's days in revisit_settings
-- (the demo has no working calendars). Params: $anchor
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    resident_id, event_at, due_at, status, done_at, satisfaction)
SELECT 'move_in', r.project_id, p.branch_id, r.unit_id, u.code, r.name, r.phone, r.id,
       CAST(r.moved_in_on AS TIMESTAMPTZ), CAST(r.moved_in_on AS TIMESTAMPTZ) + to_days((SELECT due_days FROM revisit_settings WHERE kind = 'move_in')),
       CASE WHEN r.id % 3 = 0 THEN 'done' ELSE 'open' END,
       CASE WHEN r.id % 3 = 0 THEN CAST(r.moved_in_on AS TIMESTAMPTZ) + INTERVAL 10 DAY END,
       CASE WHEN r.id % 3 = 0 THEN 'satisfied' END
FROM residents r JOIN projects p ON p.id = r.project_id LEFT JOIN units u ON u.id = r.unit_id
WHERE r.moved_in_on >= CAST($anchor AS DATE) - INTERVAL 40 DAY AND r.moved_in_on < CAST($anchor AS DATE) - INTERVAL 2 DAY
