-- Stores a cookie ticket (csm.org.sessions.open_session_with_ticket, in the login's transaction):
-- its SHA-256, its user, a minute of life, the session token sealed with the ticket (useless
-- without the ticket, which only the browser has). Taken once by users/ticket_take.
-- Params: $id, $user_id, $created_at, $expires_at, $sealed
INSERT INTO login_tickets (id, user_id, created_at, expires_at, sealed)
VALUES ($id, $user_id, $created_at, $expires_at, $sealed)
