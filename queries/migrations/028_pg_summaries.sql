-- Nothing to do on the DuckDB file (it counts a project's units and residents from its columnar
-- tables in milliseconds): this number carries queries/migrations/pg/028_project_sizes.sql, the
-- PostgreSQL store's summary of units and residents per project, kept by triggers, and the
-- indexes of the intake page's newest complaints (docs/storage.md slice 8). The PostgreSQL store
-- runs that file right after this one in the same transaction.
SELECT 1;
