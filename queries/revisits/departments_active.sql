-- Returns: active departments with a display label (Chinese name). Params: none
SELECT id, code, name, name_en, name AS label FROM departments WHERE active ORDER BY id
