-- Takes a cookie ticket away (single use: whoever deletes the row gets it, a second take gets
-- nothing). Returns: its user, expiry, revocation and the sealed token. Params: $id
DELETE FROM user_sessions WHERE id = $id AND id LIKE 'ticket:%'
RETURNING user_id, expires_at, revoked_at, revoked_why AS sealed
