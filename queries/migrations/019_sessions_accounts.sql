-- Accounts (issue 12): server-side sessions, a must-change flag, lower-case usernames.
-- The login cookie carries only a random session token; the server keeps its SHA-256 here, so a
-- session ends when it is revoked (logout, password change or reset, deactivation), idle too
-- long (CSM_SESSION_IDLE_MIN) or past its bounded expiry (CSM_SESSION_MAX_HOURS).
CREATE TABLE user_sessions (
    id           VARCHAR PRIMARY KEY,        -- sha256 hex of the cookie's token (never the token)
    user_id      INTEGER NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,       -- the absolute end, whatever the browser keeps
    revoked_at   TIMESTAMPTZ,
    revoked_why  VARCHAR                     -- logout | password_change | password_reset | deactivated | idle
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- In production mode (csm.org.users.production_mode) a flagged user changes the password before
-- any page: set by an administrator's reset, a generated first password, a weak or demo password.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN DEFAULT FALSE;
UPDATE users SET must_change_password = FALSE WHERE must_change_password IS NULL;

-- Usernames are compared trimmed and in lower case (csm.org.users.normalise). Two accounts that
-- differ only in case or spaces cannot both be kept: refuse, naming them, and change nothing.
SELECT CASE WHEN count(*) > 0 THEN error(
           'migration 019: usernames that differ only in case or spaces: '
           || string_agg(names, '; ' ORDER BY names)
           || ' — rename or remove all but one of each (python -m csm, or the users table) and start again')
       END
FROM (SELECT string_agg(username, ', ' ORDER BY username) AS names
      FROM users GROUP BY lower(trim(username)) HAVING count(*) > 1);
UPDATE users SET username = lower(trim(username)) WHERE username <> lower(trim(username));
