-- Returns: the open complaint-revisit task of a complaint, if any. Params: $complaint_id
SELECT id FROM revisit_tasks
WHERE complaint_id = $complaint_id AND kind = 'complaint' AND status = 'open'
