-- Removes the imported handling records of complaints an import updates (the corrected file's
-- replace them). Params: $ids
DELETE FROM complaint_handling WHERE complaint_id IN (SELECT unnest($ids)) AND import_batch_id IS NOT NULL
