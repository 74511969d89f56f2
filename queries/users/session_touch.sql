-- Marks a session as used now (the idle timeout counts from here). Params: $id, $now
UPDATE user_sessions SET last_seen = $now WHERE id = $id AND revoked_at IS NULL
