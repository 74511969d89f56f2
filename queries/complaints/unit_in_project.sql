-- Returns: a unit of a project with its building. Params: $unit_id, $project_id
SELECT u.id, u.code, u.building_id, b.name AS building
FROM units u JOIN buildings b ON b.id = u.building_id
WHERE u.id = $unit_id AND u.project_id = $project_id
