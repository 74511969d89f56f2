-- Returns: the branch id of a project (NULL when there is no such project). Params: $id
SELECT branch_id FROM projects WHERE id = $id
