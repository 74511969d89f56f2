-- Returns: active supervisors and managers responsible for a project (its own, or its branch).
-- Params: $project_id
SELECT u.id, u.username, u.role FROM users u, projects p
WHERE p.id = $project_id AND u.active
  AND ((u.role = 'supervisor' AND u.scope_kind = 'project' AND u.scope_id = p.id)
    OR (u.role = 'manager' AND ((u.scope_kind = 'project' AND u.scope_id = p.id)
                             OR (u.scope_kind = 'branch' AND u.scope_id = p.branch_id))))
ORDER BY u.role DESC, u.id
