-- Removes the residents an import added. Params: $ids (list)
DELETE FROM residents WHERE list_contains($ids, id)
