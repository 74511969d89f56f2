-- Returns: what an import wrote (kind, record_id, action, before), in the order written: the
-- PostgreSQL twin of importing/records (DuckDB's rowid is PostgreSQL's ctid here: import_records
-- rows are only ever inserted, in order, and deleted). Params: $batch_id
SELECT kind, record_id, action, before FROM import_records WHERE batch_id = $batch_id ORDER BY ctid
