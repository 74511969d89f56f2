-- Returns: $n new complaint ids, for an import that writes its rows in one statement. Params: $n
SELECT nextval('seq_complaint') AS id FROM generate_series(1, CAST($n AS BIGINT))
