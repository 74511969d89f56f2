-- Forgets the rows an undone import's updates kept. Params: $batch_id
DELETE FROM complaint_import_before WHERE batch_id = $batch_id
