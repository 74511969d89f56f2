-- Loads demo units from staged(project_code, building_code, code, floor, area_m2). Params: none
INSERT INTO units (project_id, building_id, code, floor, area_m2)
SELECT p.id, b.id, s.code, s.floor, s.area_m2
FROM staged s
JOIN projects p ON p.code = s.project_code
JOIN buildings b ON b.project_id = p.id AND b.code = s.building_code
ORDER BY p.id, b.id, s.code
