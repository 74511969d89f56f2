-- Replaces a user's password hash, clears the lock and sets the must-change flag (an
-- administrator's reset sets it, the user's own change clears it).
-- Params: $username, $password_hash, $must_change
UPDATE users SET password_hash = $password_hash, failed_attempts = 0, locked_until = NULL,
                 must_change_password = $must_change
WHERE username = $username
