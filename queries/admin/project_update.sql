-- Updates a project (codes never change).
-- Params: $id, $name, $project_type, $address, $households, $branch_id, $active
UPDATE projects
SET name = $name, project_type = $project_type, address = $address, households = $households,
    branch_id = $branch_id, active = $active
WHERE id = $id
