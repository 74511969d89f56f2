-- Returns: one branch by code (id, name). Params: $code
SELECT id, name FROM branches WHERE code = $code
