-- Inserts a branch and returns its id. Params: $code, $name, $active
INSERT INTO branches (code, name, active) VALUES ($code, $name, $active)
RETURNING id
