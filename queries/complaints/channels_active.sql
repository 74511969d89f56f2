-- Returns: active channels. Params: none
SELECT id, code, name, name_en, origin FROM channels WHERE active ORDER BY id
