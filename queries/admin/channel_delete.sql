-- Deletes a channel (only when no complaint came through it). Params: $id
DELETE FROM channels WHERE id = $id
