-- Inserts a project and returns its id.
-- Params: $code, $name, $project_type, $address, $households, $branch_id, $active
INSERT INTO projects (code, name, project_type, address, households, branch_id, active)
VALUES ($code, $name, $project_type, $address, $households, $branch_id, $active)
RETURNING id
