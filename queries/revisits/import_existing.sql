-- Returns: the revisit attempts earlier imports brought for these complaints: the natural key
-- (complaint, revisit time) and what a re-import compares. Params: $complaint_ids
SELECT r.id, r.task_id, t.complaint_id, r.attempt_at, r.method, r.reached, r.fail_reason, r.satisfaction,
       r.comments, r.by_user
FROM revisit_records r JOIN revisit_tasks t ON t.id = r.task_id
WHERE r.import_batch_id IS NOT NULL AND t.complaint_id IN (SELECT unnest($complaint_ids))
