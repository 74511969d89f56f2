-- Sets an owner's name, phone and move-in date (an import's update, or its undo).
-- Params: $id, $name, $phone, $moved_in_on
UPDATE residents SET name = $name, phone = $phone, moved_in_on = $moved_in_on WHERE id = $id
