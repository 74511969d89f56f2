-- Inserts a user and returns its id. Params: $username, $display_name, $email, $password_hash,
-- $role, $scope_kind, $scope_id, $department_id, $lang
INSERT INTO users (username, display_name, email, password_hash, role, scope_kind, scope_id,
                   department_id, lang)
VALUES ($username, $display_name, $email, $password_hash, $role, $scope_kind, $scope_id,
        $department_id, $lang)
RETURNING id
