-- Deletes a unit (only when nothing refers to it). Params: $id
DELETE FROM units WHERE id = $id
