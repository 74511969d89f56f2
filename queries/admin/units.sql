-- Returns: the units of one project. Params: $project_id
SELECT u.id, u.building_id, u.code, u.floor, u.area_m2
FROM units u
LEFT JOIN buildings bl ON bl.id = u.building_id
WHERE u.project_id = $project_id
ORDER BY bl.code, u.code, u.id
