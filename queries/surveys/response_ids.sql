-- Returns: n new survey response ids drawn from their sequence (bulk insert of imported forms).
-- Params: $n
SELECT nextval('seq_survey_response') AS id FROM generate_series(1, CAST($n AS BIGINT))
