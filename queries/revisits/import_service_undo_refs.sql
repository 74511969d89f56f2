-- Returns: attempts recorded on the revisit tasks of an import's service records (undo is refused
-- then). Params: $batch_id
SELECT count(*) AS refs FROM revisit_records r JOIN revisit_tasks t ON t.id = r.task_id
WHERE t.service_record_id IN (SELECT id FROM service_records WHERE import_batch_id = $batch_id)
