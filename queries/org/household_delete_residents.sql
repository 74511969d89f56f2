-- Removes the residents an import added. Params: $batch_id
DELETE FROM residents
WHERE id IN (SELECT record_id FROM import_records WHERE batch_id = $batch_id AND kind = 'resident' AND action = 'add')
