-- Removes the units an import added. Params: $ids (list)
DELETE FROM units WHERE list_contains($ids, id)
