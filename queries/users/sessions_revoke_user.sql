-- Ends every open session of one user (password change or reset, deactivation).
-- Params: $user_id, $now, $why
UPDATE user_sessions SET revoked_at = $now, revoked_why = $why
WHERE user_id = $user_id AND revoked_at IS NULL
