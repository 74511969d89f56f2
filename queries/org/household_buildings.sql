-- Returns: the buildings of the given projects (id, project_id, code, name). Params: $project_ids (list)
SELECT id, project_id, code, name FROM buildings WHERE list_contains($project_ids, project_id)
