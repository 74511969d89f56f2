-- Updates a unit (codes never change). Params: $id, $building_id, $floor, $area_m2
UPDATE units SET building_id = $building_id, floor = $floor, area_m2 = $area_m2 WHERE id = $id
