-- Cookie tickets (issue 12: the session cookie is HttpOnly; csm/org/sessions.py,
-- csm/web/auth_routes.py): the login writes a one-time ticket into the page, never the session
-- token; the page sends it once to the server's route, which takes the row and answers with the
-- HttpOnly cookie. id = the ticket's SHA-256; sealed = the session token XOR a key stream drawn
-- from the ticket (the row alone does not give the token). A ticket lives a minute; the next
-- login's purge forgets the expired ones.
CREATE TABLE login_tickets (
    id         VARCHAR PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    sealed     VARCHAR NOT NULL
);
