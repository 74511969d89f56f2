-- Writes the handling records of imported complaints (who handled it, as the ledger says).
-- Params: none (staged: complaint_id, handled_at, handled_by, content, recorded_by, import_batch_id)
INSERT INTO complaint_handling (complaint_id, handled_at, handled_by, content, recorded_by, import_batch_id)
SELECT complaint_id, handled_at, handled_by, content, recorded_by, import_batch_id FROM staged
