-- Records what an import wrote, from staged(batch_id, kind, record_id, action, before). Params: none
INSERT INTO import_records (batch_id, kind, record_id, action, before)
SELECT batch_id, kind, record_id, action, before FROM staged
