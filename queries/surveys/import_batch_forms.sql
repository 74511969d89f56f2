-- Returns: the forms one import batch of the survey-forms target brought (marked "batch:<id>"),
-- with their wave's status. Params: $import_batch
SELECT r.id, r.wave_id, r.project_id, w.status AS wave_status, w.code AS wave_code
FROM survey_responses r JOIN survey_waves w ON w.id = r.wave_id
WHERE r.import_batch = $import_batch
ORDER BY r.id
