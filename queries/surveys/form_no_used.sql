-- Returns: the id of a form already entered with this paper form number in this wave and project.
-- Params: $wave_id, $project_id, $form_no
SELECT id FROM survey_responses
WHERE wave_id = $wave_id AND project_id = $project_id AND form_no = $form_no
LIMIT 1
