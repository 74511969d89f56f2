-- Returns: n new revisit task ids drawn from their sequence (bulk: the follow-ups of imported
-- survey forms). Params: $n
SELECT nextval('seq_revisit_task') AS id FROM generate_series(1, CAST($n AS BIGINT))
