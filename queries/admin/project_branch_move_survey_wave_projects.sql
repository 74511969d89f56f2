-- Moves the survey_wave_projects of a project to its new branch (see csm.admin._move_project_records).
-- Params: $project_id, $branch_id
UPDATE survey_wave_projects SET branch_id = $branch_id WHERE project_id = $project_id
