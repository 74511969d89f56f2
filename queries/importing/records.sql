-- Returns: what an import wrote (kind, record_id, action, before), in the order written. Params: $batch_id
SELECT kind, record_id, action, before FROM import_records WHERE batch_id = $batch_id ORDER BY rowid
