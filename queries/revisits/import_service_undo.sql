-- Removes the service records an import brought (their tasks first: revisits/import_undo_tasks).
-- Params: $batch_id
DELETE FROM service_records WHERE import_batch_id = $batch_id RETURNING id
