-- Returns: a channel. Params: $id
SELECT id, code, origin, active FROM channels WHERE id = $id
