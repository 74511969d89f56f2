-- Returns: one complaint's own columns, read by a step (csm/complaints/steps.py step) that will
-- write it. On the DuckDB file the same as complaints/row: a concurrent write of the row makes this
-- transaction's UPDATE conflict and db.transaction runs the step again on what was committed. On
-- PostgreSQL (READ COMMITTED) its twin locks the row (FOR UPDATE): a concurrent escalation, which
-- does not move the version, would otherwise be overwritten by the step's full-row update.
-- Params: $id
SELECT * FROM complaints WHERE id = $id
