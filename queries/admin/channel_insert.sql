-- Inserts a channel and returns its id. Params: $code, $name, $name_en, $origin, $active
INSERT INTO channels (code, name, name_en, origin, active)
VALUES ($code, $name, $name_en, $origin, $active)
RETURNING id
