-- Moves the service_records of a project to its new branch (see csm.admin._move_project_records).
-- Params: $project_id, $branch_id
UPDATE service_records SET branch_id = $branch_id WHERE project_id = $project_id
