-- Returns: active users for the login widget (username, name, hash, role, failed attempts,
-- locked_until). Params: none
SELECT username, display_name, email, password_hash, role, failed_attempts, locked_until
FROM users
WHERE active
