-- Writes the history lines of imported complaints at their own times, marked with the batch.
-- Params: none (staged: complaint_id, at_time, actor, action, field, from_value, to_value, note,
-- import_batch_id)
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note,
                               import_batch_id)
SELECT complaint_id, at_time, actor, action, field, from_value, to_value, note, import_batch_id FROM staged
