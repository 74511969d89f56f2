-- Returns: every row and column of survey_answers, for the benchmark's pandas peer (tools/bench_peer.py:
-- the naive way loads the tables, then aggregates in pandas). Not used by the product. Params: none
SELECT * FROM survey_answers
