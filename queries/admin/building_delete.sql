-- Deletes a building (only when it has no units). Params: $id
DELETE FROM buildings WHERE id = $id
