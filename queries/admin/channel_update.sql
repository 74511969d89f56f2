-- Updates a channel (codes never change). Params: $id, $name, $name_en, $origin, $active
UPDATE channels SET name = $name, name_en = $name_en, origin = $origin, active = $active
WHERE id = $id
