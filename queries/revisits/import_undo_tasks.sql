-- Removes the revisit tasks an import brought. Params: $batch_id
DELETE FROM revisit_tasks WHERE import_batch_id = $batch_id RETURNING id
