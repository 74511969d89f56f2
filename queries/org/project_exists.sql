-- Returns: TRUE if a project with this id exists. Params: $id
SELECT count(*) > 0 AS found FROM projects WHERE id = $id
