-- Inserts a building of a project and returns its id. Params: $project_id, $code, $name
INSERT INTO buildings (project_id, code, name) VALUES ($project_id, $code, $name)
RETURNING id
