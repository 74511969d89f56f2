-- Returns: the buildings of one project, with their number of units. Params: $project_id
SELECT bl.id, bl.code, bl.name,
       (SELECT count(*) FROM units u WHERE u.building_id = bl.id) AS units
FROM buildings bl
WHERE bl.project_id = $project_id
ORDER BY bl.code, bl.id
