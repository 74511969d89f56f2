-- Adds one line to a complaint's history. Params: $complaint_id, $at_time, $actor, $action,
-- $field, $from_value, $to_value, $note
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note)
VALUES ($complaint_id, $at_time, $actor, $action, $field, $from_value, $to_value, $note)
