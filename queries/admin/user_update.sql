-- Updates a user's name, role, scope, department and active flag.
-- Params: $username, $display_name, $role, $scope_kind, $scope_id, $department_id, $active
UPDATE users
SET display_name = $display_name, role = $role, scope_kind = $scope_kind, scope_id = $scope_id,
    department_id = $department_id, active = $active
WHERE username = $username
