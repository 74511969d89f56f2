-- Returns: number of active users with the admin role other than one. Params: $username
SELECT count(*) AS n FROM users WHERE role = 'admin' AND active AND username <> $username
