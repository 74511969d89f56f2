-- Ends one session. Params: $id, $now, $why
UPDATE user_sessions SET revoked_at = $now, revoked_why = $why WHERE id = $id AND revoked_at IS NULL
