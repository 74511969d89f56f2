-- Removes the complaints an import added (not those it only updated); returns their ids.
-- Params: $batch_id
DELETE FROM complaints WHERE import_batch_id = $batch_id
  AND id NOT IN (SELECT complaint_id FROM complaint_import_before WHERE batch_id = $batch_id)
RETURNING id
