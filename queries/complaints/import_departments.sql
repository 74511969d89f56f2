-- Returns: active departments, for the import's value mapping. Params: none
SELECT id, code, name, name_en FROM departments WHERE active ORDER BY id
