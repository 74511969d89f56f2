-- Returns: a project's id, branch and name (for commands that denormalise the branch). Params: $id
SELECT id, branch_id, name, code FROM projects WHERE id = $id
