-- Nothing to do on the DuckDB file (its complaints are sorted by project, migration 024): this
-- number carries queries/migrations/pg/027_bench_indexes.sql, the indexes PostgreSQL needs for
-- the desk's twins (queries/complaints/worklist.pg.sql …, docs/storage.md slice 8), which the
-- PostgreSQL store runs right after this file in the same transaction.
SELECT 1;
