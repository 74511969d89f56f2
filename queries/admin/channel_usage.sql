-- Returns: what still refers to a channel (counts). Params: $id
SELECT (SELECT count(*) FROM complaints WHERE channel_id = $id) AS complaints
