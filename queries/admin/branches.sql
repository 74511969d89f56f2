-- Returns: every branch for the organisation grid (id, code, name, active, projects count).
-- Params: none
SELECT b.id, b.code, b.name, b.active,
       (SELECT count(*) FROM projects p WHERE p.branch_id = b.id) AS projects
FROM branches b
ORDER BY b.code, b.id
