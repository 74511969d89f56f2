-- PostgreSQL only, run right after queries/migrations/024_complaints_by_project.sql on a
-- PostgreSQL store (csm/storage/pg.py): the DuckDB file keeps complaints sorted by project
-- instead; PostgreSQL needs indexes for the desk's scoped reads (docs/storage.md: the pushed-down
-- one-project worklist took 561 ms without, 52 ms with).
CREATE INDEX complaints_project ON complaints (project_id);
CREATE INDEX complaints_branch ON complaints (branch_id);
CREATE INDEX complaints_received ON complaints (received_at);
CREATE INDEX complaint_history_complaint ON complaint_history (complaint_id);
