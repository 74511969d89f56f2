-- Loads demo projects from staged(code, name, branch_code, project_type, address, households).
-- Params: none
INSERT INTO projects (code, name, branch_id, project_type, address, households)
SELECT s.code, s.name, b.id, s.project_type, s.address, s.households
FROM staged s JOIN branches b ON b.code = s.branch_code
ORDER BY s.code
