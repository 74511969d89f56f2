-- Inserts a department and returns its id. Params: $code, $name, $name_en, $level, $active
INSERT INTO departments (code, name, name_en, level, active)
VALUES ($code, $name, $name_en, $level, $active)
RETURNING id
