-- Returns: the code of the complaint filed last (highest id). Params: none
SELECT code FROM complaints ORDER BY id DESC LIMIT 1
