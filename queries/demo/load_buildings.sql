-- Loads demo buildings from staged(project_code, code, name). Params: none
INSERT INTO buildings (project_id, code, name)
SELECT p.id, s.code, s.name FROM staged s JOIN projects p ON p.code = s.project_code
ORDER BY p.id, s.code
