-- Removes the revisit attempts an import brought. Params: $batch_id
DELETE FROM revisit_records WHERE import_batch_id = $batch_id RETURNING id
