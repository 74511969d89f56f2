-- Stores a new login session (the token's hash, never the token).
-- Params: $id, $user_id, $created_at, $expires_at
INSERT INTO user_sessions (id, user_id, created_at, last_seen, expires_at)
VALUES ($id, $user_id, $created_at, $created_at, $expires_at)
