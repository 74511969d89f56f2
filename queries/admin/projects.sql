-- Returns: every project for the organisation grid, with its number of units.
-- Params: none
SELECT p.id, p.code, p.name, p.project_type, p.address, p.households,
       (SELECT count(*) FROM units u WHERE u.project_id = p.id) AS units,
       p.branch_id, p.active
FROM projects p
LEFT JOIN branches b ON b.id = p.branch_id
ORDER BY b.code, p.code, p.id
