-- Adds lines to complaints' history (one list per column, the same length).
-- Each list is cast to its column's type (untyped on PostgreSQL otherwise). Params:
-- $complaint_id, $at_time, $actor, $action, $field, $from_value, $to_value, $note
INSERT INTO complaint_history (complaint_id, at_time, actor, action, field, from_value, to_value, note)
SELECT unnest(CAST($complaint_id AS INTEGER[])), unnest(CAST($at_time AS TIMESTAMPTZ[])), unnest(CAST($actor AS VARCHAR[])), unnest(CAST($action AS VARCHAR[])), unnest(CAST($field AS VARCHAR[])),
    unnest(CAST($from_value AS VARCHAR[])), unnest(CAST($to_value AS VARCHAR[])), unnest(CAST($note AS VARCHAR[]))
