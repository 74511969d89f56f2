-- Returns: the complaints earlier imports brought from these source systems (the natural key
-- source_system + source_ref), with the imported row's content hash, the project, and whether
-- the product changed it since (a history line not written by an import).
-- Params: $systems (list of source system names)
SELECT c.id, c.source_system, c.source_ref, c.source_hash, c.project_id,
       EXISTS (SELECT 1 FROM complaint_history h
               WHERE h.complaint_id = c.id AND h.import_batch_id IS NULL) AS changed_live
FROM complaints c
WHERE c.source_system IN (SELECT unnest($systems))
