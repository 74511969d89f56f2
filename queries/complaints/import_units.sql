-- Returns: the units named by an import, with their building: $keys are "<project id><US><unit
-- code in lower case>" (US = the unit separator, chr(31)), so only the pairs of the file are read.
-- Params: $keys
SELECT u.id, u.project_id, u.code, u.building_id, b.name AS building
FROM units u LEFT JOIN buildings b ON b.id = u.building_id
WHERE (CAST(u.project_id AS VARCHAR) || chr(31) || lower(u.code)) IN (SELECT unnest($keys))
