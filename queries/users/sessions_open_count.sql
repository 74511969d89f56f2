-- Returns: how many sessions of one user are still usable at $now. Params: $user_id, $now
SELECT count(*) AS n FROM user_sessions
WHERE user_id = $user_id AND revoked_at IS NULL AND expires_at > $now
