-- Loads demo residents from staged(project_code, unit_code, name, phone, relation, moved_in_on).
-- Params: none
INSERT INTO residents (project_id, unit_id, name, phone, relation, moved_in_on)
SELECT p.id, u.id, s.name, s.phone, s.relation, s.moved_in_on
FROM staged s
JOIN projects p ON p.code = s.project_code
JOIN units u ON u.project_id = p.id AND u.code = s.unit_code
ORDER BY u.id
