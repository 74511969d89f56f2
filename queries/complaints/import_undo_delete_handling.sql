-- Removes the handling records an import wrote. Params: $batch_id
DELETE FROM complaint_handling WHERE import_batch_id = $batch_id
