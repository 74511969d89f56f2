-- Returns: a channel's id by code. Params: $code
SELECT id FROM channels WHERE code = $code
