-- Returns: every department for the reference grid. Params: none
SELECT id, code, name, name_en, level, active FROM departments ORDER BY id
