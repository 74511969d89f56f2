-- Returns: every revisit task of a complaint. Params: $complaint_id
SELECT id, kind, status, due_at, event_at FROM revisit_tasks WHERE complaint_id = $complaint_id ORDER BY id
