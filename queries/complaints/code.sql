-- Returns: a complaint's code. Params: $id
SELECT code FROM complaints WHERE id = $id
