-- Returns: the buildings of the given projects (id, project_id, code, name). Params: $project_ids (list)
SELECT id, project_id, code, name FROM buildings WHERE project_id = ANY(CAST($project_ids AS INTEGER[]))
