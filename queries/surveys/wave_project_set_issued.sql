-- Changes the number of forms issued to one project of a wave; returns the row changed.
-- Params: $wave_id, $project_id, $forms_issued
UPDATE survey_wave_projects SET forms_issued = $forms_issued
WHERE wave_id = $wave_id AND project_id = $project_id
RETURNING project_id
