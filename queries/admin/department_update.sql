-- Updates a department (codes never change). Params: $id, $name, $name_en, $level, $active
UPDATE departments SET name = $name, name_en = $name_en, level = $level, active = $active
WHERE id = $id
