-- Returns: how many records outside the batch refer to the revisit tasks it brought (attempts
-- entered in the product, a task that asked for it). Params: $batch_id
SELECT (SELECT count(*) FROM revisit_records r JOIN revisit_tasks t ON t.id = r.task_id
        WHERE t.import_batch_id = $batch_id AND r.import_batch_id IS DISTINCT FROM $batch_id)
     + (SELECT count(*) FROM revisit_tasks p JOIN revisit_tasks t ON t.id = p.parent_task_id
        WHERE t.import_batch_id = $batch_id AND p.import_batch_id IS DISTINCT FROM $batch_id) AS refs
