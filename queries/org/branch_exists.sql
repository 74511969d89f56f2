-- Returns: TRUE if a branch with this id exists. Params: $id
SELECT count(*) > 0 AS found FROM branches WHERE id = $id
