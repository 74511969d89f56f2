-- Serious dissatisfaction (seed 002 4.2.3): half of the unsatisfied complaint revisits asked for a
-- separate revisit by the department manager. Due times: event + the kind's days in revisit_settings
-- (the demo has no working calendars). Params: none
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, contact_name, contact_phone,
    complaint_id, parent_task_id, note, event_at, due_at)
SELECT 'serious', project_id, branch_id, unit_id, unit_text, contact_name, contact_phone, complaint_id, id,
       '严重不满意，部门经理专访', done_at, done_at + to_days((SELECT due_days FROM revisit_settings WHERE kind = 'serious'))
FROM revisit_tasks WHERE kind = 'complaint' AND satisfaction = 'unsatisfied' AND id % 2 = 0
