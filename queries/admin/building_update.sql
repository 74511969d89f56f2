-- Renames a building (codes never change). Params: $id, $name
UPDATE buildings SET name = $name WHERE id = $id
