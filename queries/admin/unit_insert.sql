-- Inserts a unit of a project and returns its id.
-- Params: $project_id, $building_id, $code, $floor, $area_m2
INSERT INTO units (project_id, building_id, code, floor, area_m2)
VALUES ($project_id, $building_id, $code, $floor, $area_m2)
RETURNING id
