-- Deletes an override. Params: $id
DELETE FROM calendar_overrides WHERE id = $id
