-- Returns: one session by its token's hash with its user (everything users/by_username gives).
-- Params: $id
SELECT s.id AS session_id, s.created_at AS session_created, s.last_seen AS session_last_seen,
       s.expires_at AS session_expires, s.revoked_at AS session_revoked,
       u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.scope_kind,
       u.scope_id, u.department_id, u.lang, u.active, u.failed_attempts, u.locked_until,
       coalesce(u.must_change_password, FALSE) AS must_change_password
FROM user_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $id
