-- Returns: how many records outside the batch refer to the complaints it brought or updated:
-- history written in the product, notices, attachments, progress updates, complaints linked to
-- them, revisit tasks not of this batch (live ones, or another import's), and later imports that updated them. Params: $batch_id
WITH mine AS (
    SELECT id FROM complaints WHERE import_batch_id = $batch_id
    UNION SELECT complaint_id FROM complaint_import_before WHERE batch_id = $batch_id
)
SELECT (SELECT count(*) FROM complaint_history WHERE complaint_id IN (SELECT id FROM mine)
            AND import_batch_id IS NULL)
     + (SELECT count(*) FROM notifications WHERE complaint_id IN (SELECT id FROM mine))
     + (SELECT count(*) FROM complaint_attachments WHERE complaint_id IN (SELECT id FROM mine))
     + (SELECT count(*) FROM complaint_progress WHERE complaint_id IN (SELECT id FROM mine))
     + (SELECT count(*) FROM complaints WHERE linked_to_id IN (SELECT id FROM mine))
     + (SELECT count(*) FROM revisit_tasks WHERE complaint_id IN (SELECT id FROM mine)
            AND import_batch_id IS DISTINCT FROM $batch_id)
     + (SELECT count(*) FROM complaint_import_before WHERE batch_id > $batch_id
            AND complaint_id IN (SELECT id FROM mine)) AS refs
