-- Forgets sessions that ended (expired or revoked) more than a day before $now. Params: $now
DELETE FROM user_sessions
WHERE expires_at < $now - INTERVAL '1 day' OR revoked_at < $now - INTERVAL '1 day'
