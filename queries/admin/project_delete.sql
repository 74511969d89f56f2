-- Deletes a project (only when nothing refers to it: see admin_project_usage). Params: $id
DELETE FROM projects WHERE id = $id
