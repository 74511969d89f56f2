-- Returns: one project by code (id, branch_id, name). Params: $code
SELECT id, branch_id, name FROM projects WHERE code = $code
