-- Appends audit rows (one list per column, the same length). Params: $actor, $action, $entity,
-- $entity_id, $before, $after (JSON text)
INSERT INTO audit_log (actor, action, entity, entity_id, before, after)
SELECT unnest($actor), unnest($action), unnest($entity), unnest($entity_id), unnest($before), unnest($after)
