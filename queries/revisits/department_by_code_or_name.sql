-- Returns: the active department whose code or Chinese/English name matches. Params: $text
SELECT id, code, name FROM departments
WHERE active AND (code = $text OR name = $text OR lower(name_en) = lower($text))
LIMIT 1
