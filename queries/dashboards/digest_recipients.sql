-- Returns: who gets the daily digest: active managers and supervisors, with their scope and language.
-- Params: none
SELECT id, username, display_name, role, scope_kind, scope_id, lang
FROM users
WHERE active AND role IN ('manager', 'supervisor')
ORDER BY id
