-- PostgreSQL (several processes file at once): hands back the numbers up to a year's counter that
-- no complaint has and that are not handed back already — but only a number that a later number
-- of its year passed more than a while ago: some complaint of that year with a higher number was
-- created before $before (numbers are taken in increasing order, so that number was taken after
-- this one). A number another process has just taken and is about to file is never handed back
-- (today a filing takes its numbers inside its own transaction, so a killed process's numbers roll
-- back with it; this repairs the gaps of an earlier version, of a migrated file, of any path that
-- took a number and committed without filing). Two runs at once hand a number back once (the key).
-- Run by `python -m csm init` and by every escalation run (csm.ops.service.return_code_gaps), not
-- at a process start (the DuckDB file keeps complaints/code_gaps_return there).
-- Returns: the numbers handed back (year, no). Params: $before
INSERT INTO complaint_code_returns (year, no)
WITH filed AS (
    SELECT CAST(split_part(code, '-', 2) AS INTEGER) AS year, CAST(split_part(code, '-', 3) AS INTEGER) AS no,
           created_at
    FROM complaints WHERE code LIKE 'TS-%'
), passed AS (
    SELECT year, max(no) AS no FROM filed WHERE created_at < $before GROUP BY year
), gaps AS (
    SELECT k.year, s.no FROM complaint_counters AS k, generate_series(1, k.last_no) AS s(no)
    WHERE k.last_no > 0
    EXCEPT
    SELECT year, no FROM filed
    EXCEPT
    SELECT year, no FROM complaint_code_returns
)
SELECT g.year, g.no FROM gaps AS g JOIN passed AS p ON p.year = g.year AND g.no < p.no
ON CONFLICT DO NOTHING
RETURNING year, no
