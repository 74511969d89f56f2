-- Hands back the numbers a filing took but never used: a process of an earlier version was killed
-- between taking the number (a transaction of its own then) and committing the complaint; filings
-- now take their numbers inside their own transaction (complaints/codes_take_many). Every
-- number up to a year's counter that no complaint has and that is not handed back already is
-- handed back, so the next filings of that year take them and the codes stay gap-free. Run when
-- the database is opened (csm.db.open_database), before this process files anything; with the
-- DuckDB file no other process can be filing then. Returns: the numbers handed back. Params: none
INSERT INTO complaint_code_returns
SELECT year, no FROM (
    SELECT k.year, unnest(generate_series(1, k.last_no)) AS no
    FROM complaint_counters k WHERE k.last_no > 0
    EXCEPT
    SELECT CAST(split_part(code, '-', 2) AS INTEGER), CAST(split_part(code, '-', 3) AS INTEGER)
    FROM complaints WHERE code LIKE 'TS-%'
    EXCEPT
    SELECT year, no FROM complaint_code_returns
)
RETURNING year, no
