-- Moves the survey_item_counts of a project to its new branch (see csm.admin._move_project_records).
-- Params: $project_id, $branch_id
UPDATE survey_item_counts SET branch_id = $branch_id WHERE project_id = $project_id
