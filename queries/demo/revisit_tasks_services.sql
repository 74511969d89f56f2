-- Creates the revisits of the demo's repairs and paid services: done for older ones, open (some
-- overdue, some with failed attempts) for the last days. Due times: event + the kind's days in revisit_settings
-- (the demo has no working calendars). Params: $anchor
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    service_record_id, note, event_at, due_at, status, done_at, satisfaction, failed_attempts)
SELECT s.service_type, s.project_id, s.branch_id, s.unit_id, s.unit_text, s.resident_name, s.resident_phone,
       s.id, s.external_ref, s.completed_at,
       s.completed_at + to_days((SELECT due_days FROM revisit_settings WHERE kind = s.service_type)),
       CASE WHEN s.completed_at > CAST($anchor AS TIMESTAMPTZ) - INTERVAL 6 DAY THEN 'open' ELSE 'done' END,
       CASE WHEN s.completed_at <= CAST($anchor AS TIMESTAMPTZ) - INTERVAL 6 DAY
            THEN s.completed_at + to_hours(CAST(4 + s.id % 100 AS BIGINT)) END,
       CASE WHEN s.completed_at <= CAST($anchor AS TIMESTAMPTZ) - INTERVAL 6 DAY THEN
            CASE WHEN s.id % 50 = 0 THEN 'unsatisfied' WHEN s.id % 10 < 5 THEN 'very_satisfied'
                 WHEN s.id % 10 < 9 THEN 'satisfied' ELSE 'neutral' END END,
       CASE WHEN s.completed_at > CAST($anchor AS TIMESTAMPTZ) - INTERVAL 6 DAY THEN s.id % 4 ELSE 0 END
FROM service_records s
