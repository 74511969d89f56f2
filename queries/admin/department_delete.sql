-- Deletes a department (only when nothing refers to it). Params: $id
DELETE FROM departments WHERE id = $id
