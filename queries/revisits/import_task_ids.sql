-- Returns: $n new revisit task ids, for an import that writes its tasks in one statement. Params: $n
SELECT nextval('seq_revisit_task') AS id FROM generate_series(1, CAST($n AS BIGINT))
