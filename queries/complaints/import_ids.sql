-- Returns: $n new complaint ids, for an import that writes its rows in one statement. Params: $n
SELECT nextval('seq_complaint') AS id FROM range($n)
