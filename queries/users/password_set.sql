-- Replaces a user's password hash and clears the lock. Params: $username, $password_hash
UPDATE users SET password_hash = $password_hash, failed_attempts = 0, locked_until = NULL
WHERE username = $username
