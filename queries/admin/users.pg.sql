-- PostgreSQL twin of admin/users (run natively on a PostgreSQL store, docs/storage.md slice 8): the
-- same SQL, one native round trip instead of four scans through the extension. Params: none
SELECT u.id, u.username, u.display_name, u.role, u.scope_kind, u.scope_id,
       CASE u.scope_kind WHEN 'branch' THEN b.name WHEN 'project' THEN p.name END AS scope_name,
       u.department_id, d.name AS department, u.lang, u.active, u.failed_attempts,
       u.locked_until, u.created_at
FROM users u
LEFT JOIN branches b ON u.scope_kind = 'branch' AND b.id = u.scope_id
LEFT JOIN projects p ON u.scope_kind = 'project' AND p.id = u.scope_id
LEFT JOIN departments d ON d.id = u.department_id
ORDER BY u.username
