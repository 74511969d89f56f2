-- Appends one audit row. Params: $actor, $action, $entity, $entity_id, $before, $after (JSON text)
INSERT INTO audit_log (actor, action, entity, entity_id, before, after)
VALUES ($actor, $action, $entity, $entity_id, $before, $after)
