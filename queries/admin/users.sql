-- Returns: every user for the user list, with scope and department names (no password hash).
-- Params: none
SELECT u.id, u.username, u.display_name, u.role, u.scope_kind, u.scope_id,
       CASE u.scope_kind WHEN 'branch' THEN b.name WHEN 'project' THEN p.name END AS scope_name,
       u.department_id, d.name AS department, u.lang, u.active, u.failed_attempts,
       u.locked_until, u.created_at
FROM users u
LEFT JOIN branches b ON u.scope_kind = 'branch' AND b.id = u.scope_id
LEFT JOIN projects p ON u.scope_kind = 'project' AND p.id = u.scope_id
LEFT JOIN departments d ON d.id = u.department_id
ORDER BY u.username
