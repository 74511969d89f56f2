-- Stores a cookie ticket (csm.org.sessions.open_session_with_ticket): a row of user_sessions whose
-- id is 'ticket:' + the ticket's sha256, living a minute; revoked_why holds the session token
-- sealed with the ticket (useless without the ticket, which only the browser has). Taken once by
-- users/ticket_take; a password change or deactivation revokes it with the user's sessions.
-- Params: $id, $user_id, $created_at, $expires_at, $sealed
INSERT INTO user_sessions (id, user_id, created_at, last_seen, expires_at, revoked_why)
VALUES ($id, $user_id, $created_at, $created_at, $expires_at, $sealed)
