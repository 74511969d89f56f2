-- Returns: the id of a form already returned by this household in this wave, if any.
-- Params: $wave_id, $project_id, $unit_text
SELECT id FROM survey_responses
WHERE wave_id = $wave_id AND project_id = $project_id AND unit_text = $unit_text
LIMIT 1
