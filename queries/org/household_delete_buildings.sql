-- Removes the buildings an import added, once no unit is left in them. Params: $ids (list)
DELETE FROM buildings WHERE list_contains($ids, id) AND id NOT IN (SELECT building_id FROM units)
