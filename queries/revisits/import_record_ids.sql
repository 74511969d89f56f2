-- Returns: $n new revisit record ids, for an import that writes its records in one statement.
-- Params: $n
SELECT nextval('seq_revisit_record') AS id FROM generate_series(1, CAST($n AS BIGINT))
