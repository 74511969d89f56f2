-- Takes a cookie ticket away (single use: whoever deletes the row gets it, a second take gets
-- nothing, in any app process). Returns: its user, expiry and the sealed token. Params: $id
DELETE FROM login_tickets WHERE id = $id
RETURNING user_id, expires_at, sealed
