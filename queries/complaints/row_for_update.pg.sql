-- PostgreSQL twin of complaints/row_for_update: the row locked until the step commits; if an
-- escalation holds it, this waits and returns the row as the escalation left it.
-- Params: $id
SELECT * FROM complaints WHERE id = $id FOR UPDATE
