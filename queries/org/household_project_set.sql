-- Sets a project's household count (after an imported household list, or its undo).
-- Params: $id, $households
UPDATE projects SET households = $households WHERE id = $id
