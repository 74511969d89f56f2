-- Returns: $n new ids of the sequence $seq (seq_building, seq_unit, seq_resident), for a bulk
-- insert that records what it added. Params: $seq, $n
SELECT nextval($seq) AS id FROM generate_series(1, CAST($n AS BIGINT))
