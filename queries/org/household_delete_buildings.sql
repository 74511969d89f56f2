-- Removes the buildings an import added, once no unit is left in them. Params: $batch_id
DELETE FROM buildings
WHERE id IN (SELECT record_id FROM import_records WHERE batch_id = $batch_id AND kind = 'building' AND action = 'add')
  AND id NOT IN (SELECT building_id FROM units)
