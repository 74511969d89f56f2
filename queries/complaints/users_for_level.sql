-- Returns: active users who own a complaint at a level for a project: the project's supervisors
-- and managers ('project'), the branch's managers ('branch_manager'), group managers and head
-- office ('general_manager', 'quality_department'). Params: $level, $project_id, $branch_id
SELECT u.id, u.username, u.role FROM users u
WHERE u.active AND CASE $level
    WHEN 'project' THEN u.role IN ('supervisor', 'manager') AND u.scope_kind = 'project'
                        AND u.scope_id = $project_id
    WHEN 'branch_manager' THEN u.role = 'manager' AND u.scope_kind = 'branch' AND u.scope_id = $branch_id
    WHEN 'general_manager' THEN (u.role = 'manager' AND u.scope_kind = 'group') OR u.role = 'head_office'
    WHEN 'quality_department' THEN u.role = 'head_office'
    ELSE FALSE END
ORDER BY u.id
