-- Returns: an active staff user a complaint of this project may be assigned to. Params: $id, $project_id
SELECT u.id, u.username, u.display_name FROM users u, projects p
WHERE u.id = $id AND p.id = $project_id AND u.active
  AND u.role IN ('clerk', 'supervisor', 'manager', 'head_office')
  AND in_scope(u.scope_kind, coalesce(u.scope_id, -1), p.id, p.branch_id)
