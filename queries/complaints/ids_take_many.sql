-- $n new complaint ids (the sequence of complaints.id), taken before a batch of filings is written,
-- so that its history rows can be sent without waiting for the complaint rows' insert (on
-- PostgreSQL every statement whose answer is not needed goes with the COMMIT: docs/storage.md).
-- A rolled-back batch leaves its ids unused (ids have gaps; the codes have none). Params: $n
SELECT nextval('seq_complaint') AS id FROM generate_series(1, $n)
