-- Returns: every complaint channel for the reference grid. Params: none
SELECT id, code, name, name_en, origin, active FROM channels ORDER BY id
