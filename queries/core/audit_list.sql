-- Returns: the newest audit rows, optionally filtered by actor, action or entity.
-- Params: $actor, $action, $entity (NULL = any), $since (TIMESTAMPTZ or NULL), $limit
SELECT id, at_time, actor, action, entity, entity_id, before, after
FROM audit_log
WHERE ($actor IS NULL OR actor = $actor)
  AND ($action IS NULL OR action = $action)
  AND ($entity IS NULL OR entity = $entity)
  AND ($since IS NULL OR at_time >= $since)
ORDER BY id DESC
LIMIT $limit
