-- PostgreSQL only, after queries/migrations/028_pg_summaries.sql (docs/storage.md slice 8).
--
-- 1. The units and residents of each project, counted once and kept by the engine itself: the
--    head office's home page (org/counts.pg.sql: 989,500 units and as many residents counted on
--    every visit, 1.1 s on busy cores) and the organisation and user grids (admin/projects.pg.sql:
--    1,000 correlated unit counts, 0.4-0.9 s) read this table instead. Statement-level triggers
--    with transition tables, so a bulk insert (an import, the benchmark loader's COPY) adds its
--    rows per project in one statement, not one row at a time; every command that writes units or
--    residents (the admin grids, the household import and its undo) is covered without knowing of
--    it. In a schema of its own (csm_pg): not one of the product's tables (the schema of the
--    public tables stays the DuckDB file's, tests/test_storage_pg.py), never copied by the loader.
--    Rows are locked in project order (ORDER BY), so two writers cannot deadlock on them.
--    The function bodies are quoted strings (the migration runner splits on semicolons outside
--    quotes); inside them a quote is doubled.
CREATE SCHEMA IF NOT EXISTS csm_pg;
CREATE TABLE csm_pg.project_sizes (
    project_id BIGINT PRIMARY KEY,
    units      BIGINT NOT NULL DEFAULT 0,
    residents  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO csm_pg.project_sizes (project_id, units, residents)
SELECT project_id, sum(u), sum(r)
FROM (SELECT project_id, 1 AS u, 0 AS r FROM units
      UNION ALL SELECT project_id, 0, 1 FROM residents) x
WHERE project_id IS NOT NULL
GROUP BY project_id;

-- One function for both tables: a row of units counts (1, 0), a row of residents (0, 1).
CREATE FUNCTION csm_pg.count_sizes() RETURNS trigger LANGUAGE plpgsql AS '
DECLARE
    u integer := CASE WHEN TG_TABLE_NAME = ''units'' THEN 1 ELSE 0 END;
BEGIN
    IF TG_OP = ''TRUNCATE'' THEN
        UPDATE csm_pg.project_sizes SET units = units * (1 - u), residents = residents * u
        WHERE (u = 1 AND units <> 0) OR (u = 0 AND residents <> 0);
    ELSIF TG_OP = ''INSERT'' THEN
        INSERT INTO csm_pg.project_sizes AS s (project_id, units, residents)
        SELECT project_id, u * count(*), (1 - u) * count(*) FROM new_rows WHERE project_id IS NOT NULL
        GROUP BY project_id ORDER BY project_id
        ON CONFLICT (project_id) DO UPDATE SET units = s.units + EXCLUDED.units, residents = s.residents + EXCLUDED.residents;
    ELSIF TG_OP = ''DELETE'' THEN
        INSERT INTO csm_pg.project_sizes AS s (project_id, units, residents)
        SELECT project_id, -u * count(*), (u - 1) * count(*) FROM old_rows WHERE project_id IS NOT NULL
        GROUP BY project_id ORDER BY project_id
        ON CONFLICT (project_id) DO UPDATE SET units = s.units + EXCLUDED.units, residents = s.residents + EXCLUDED.residents;
    ELSE
        INSERT INTO csm_pg.project_sizes AS s (project_id, units, residents)
        SELECT project_id, u * sum(n), (1 - u) * sum(n) FROM (SELECT project_id, 1 AS n FROM new_rows
                                                               UNION ALL SELECT project_id, -1 FROM old_rows) x
        WHERE project_id IS NOT NULL
        GROUP BY project_id HAVING sum(n) <> 0 ORDER BY project_id
        ON CONFLICT (project_id) DO UPDATE SET units = s.units + EXCLUDED.units, residents = s.residents + EXCLUDED.residents;
    END IF;
    RETURN NULL;
END';

CREATE TRIGGER units_counted_insert AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER units_counted_delete AFTER DELETE ON units REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER units_counted_update AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER units_counted_truncate AFTER TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER residents_counted_insert AFTER INSERT ON residents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER residents_counted_delete AFTER DELETE ON residents REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER residents_counted_update AFTER UPDATE ON residents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();
CREATE TRIGGER residents_counted_truncate AFTER TRUNCATE ON residents
    FOR EACH STATEMENT EXECUTE FUNCTION csm_pg.count_sizes();

-- 2. The intake page's newest complaints of a branch or a project (complaints/recent.pg.sql), read
--    from the index in the page's order; the group's come from complaints_received (pg/024).
CREATE INDEX complaints_project_received ON complaints (project_id, received_at, id);
CREATE INDEX complaints_branch_received ON complaints (branch_id, received_at, id);
