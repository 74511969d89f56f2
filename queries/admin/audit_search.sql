-- Returns: audit rows matching the filters, newest first.
-- Params: $actor, $action, $entity (NULL = any), $since, $until (TIMESTAMPTZ or NULL; until
-- excluded), $limit
SELECT id, at_time, actor, action, entity, entity_id, before, after
FROM audit_log
WHERE ($actor IS NULL OR actor = $actor)
  AND ($action IS NULL OR action = $action)
  AND ($entity IS NULL OR entity = $entity)
  AND ($since IS NULL OR at_time >= $since)
  AND ($until IS NULL OR at_time < $until)
ORDER BY at_time DESC, id DESC
LIMIT $limit
