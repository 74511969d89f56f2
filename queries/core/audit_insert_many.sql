-- Appends audit rows (one list per column, the same length). Params: $actor, $action, $entity,
-- $entity_id, $before, $after (JSON text); each list cast to its type (untyped on PostgreSQL otherwise)
INSERT INTO audit_log (actor, action, entity, entity_id, before, after)
SELECT unnest(CAST($actor AS VARCHAR[])), unnest(CAST($action AS VARCHAR[])), unnest(CAST($entity AS VARCHAR[])), unnest(CAST($entity_id AS VARCHAR[])), unnest(CAST($before AS VARCHAR[])), unnest(CAST($after AS VARCHAR[]))
