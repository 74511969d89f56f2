-- Returns: the distinct actors, actions and entities of the audit log (filter pickers), as
-- rows (kind, value). Params: none
SELECT DISTINCT 'actor' AS kind, actor AS value FROM audit_log WHERE actor IS NOT NULL
UNION
SELECT DISTINCT 'action', action FROM audit_log
UNION
SELECT DISTINCT 'entity', entity FROM audit_log WHERE entity IS NOT NULL
ORDER BY kind, value
