-- Returns: one complaint's own columns (no scope: for domain commands that checked scope first,
-- and for the system's escalation). Params: $id
SELECT * FROM complaints WHERE id = $id
