-- Marks the revisit tasks of an import's service records with its batch. Params: $batch_id
UPDATE revisit_tasks SET import_batch_id = $batch_id
WHERE service_record_id IN (SELECT id FROM service_records WHERE import_batch_id = $batch_id)
