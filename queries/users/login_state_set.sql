-- Sets the failed-attempt counter and lock of one user. Params: $username, $failed_attempts, $locked_until
UPDATE users SET failed_attempts = $failed_attempts, locked_until = $locked_until
WHERE username = $username
