-- Returns: one user with everything needed to log in and to scope reads. Params: $username
SELECT u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.scope_kind,
       u.scope_id, u.department_id, u.lang, u.active, u.failed_attempts, u.locked_until,
       coalesce(u.must_change_password, FALSE) AS must_change_password
FROM users u
WHERE u.username = $username
