-- Returns: number of forms imported from a file with this content hash. Params: $import_batch
SELECT count(*) AS n FROM survey_responses WHERE import_batch = $import_batch
