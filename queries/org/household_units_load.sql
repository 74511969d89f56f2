-- Adds the units of an imported household list from staged(id, project_id, building_id, code,
-- area_m2). Params: none
INSERT INTO units (id, project_id, building_id, code, area_m2)
SELECT id, project_id, building_id, code, area_m2 FROM staged
