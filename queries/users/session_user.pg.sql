-- PostgreSQL twin of users/session_user (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same SQL; the shell checks the session on every rerun of every page, one native
-- lookup by the primary key instead of two scans through the extension. Params: $id
SELECT s.id AS session_id, s.created_at AS session_created, s.last_seen AS session_last_seen,
       s.expires_at AS session_expires, s.revoked_at AS session_revoked,
       u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.scope_kind,
       u.scope_id, u.department_id, u.lang, u.active, u.failed_attempts, u.locked_until,
       coalesce(u.must_change_password, FALSE) AS must_change_password
FROM user_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $id::text
