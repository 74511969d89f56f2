-- Returns: the unit of a project with this code (房号), if known. Params: $project_id, $code
SELECT u.id, u.code FROM units u WHERE u.project_id = $project_id AND u.code = $code
