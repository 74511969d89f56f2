-- Adds a project to a wave with the number of forms issued there. Params: $wave_id, $project_id, $branch_id, $forms_issued
INSERT INTO survey_wave_projects (wave_id, project_id, branch_id, forms_issued)
VALUES ($wave_id, $project_id, $branch_id, $forms_issued)
