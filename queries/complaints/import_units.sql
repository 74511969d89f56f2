-- Returns: every unit with its building, for matching an imported row's unit to the register.
-- Params: none
SELECT u.id, u.project_id, u.code, u.building_id, b.name AS building
FROM units u LEFT JOIN buildings b ON b.id = u.building_id
