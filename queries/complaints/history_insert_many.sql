-- Adds lines to complaints' history (one list per column, the same length). Params:
-- $complaint_id, $at_time, $actor, $action, $field, $from_value, $to_value, $note
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note)
SELECT unnest($complaint_id), unnest($at_time), unnest($actor), unnest($action), unnest($field),
    unnest($from_value), unnest($to_value), unnest($note)
