-- Removes the units an import added. Params: $batch_id
DELETE FROM units
WHERE id IN (SELECT record_id FROM import_records WHERE batch_id = $batch_id AND kind = 'unit' AND action = 'add')
