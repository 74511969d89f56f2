-- Sets a unit's area (an import's update, or its undo). Params: $id, $area_m2
UPDATE units SET area_m2 = $area_m2 WHERE id = $id
