-- Returns: the id of a form this household (by unit id or unit code) already returned in this wave,
-- on paper, by import or by its link; no row when none. Params: $wave_id, $project_id, $unit_id, $unit_text
SELECT id FROM survey_responses
WHERE wave_id = $wave_id AND project_id = $project_id
  AND (unit_id = $unit_id OR unit_text = $unit_text)
LIMIT 1
