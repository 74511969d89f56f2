-- Returns: the given forms with their wave's code and status (a corrected survey-forms import and
-- its undo). Params: $ids
SELECT r.id, r.wave_id, r.project_id, r.unit_id, r.unit_text, r.respondent_name, r.respondent_phone,
       w.status AS wave_status, w.code AS wave_code
FROM survey_responses r JOIN survey_waves w ON w.id = r.wave_id
WHERE r.id = ANY(CAST($ids AS INTEGER[]))
ORDER BY r.id
