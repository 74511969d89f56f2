-- Returns: per year, how many holidays / make-up working days are entered for all branches.
-- Params: none
SELECT CAST(extract(year FROM day) AS INTEGER) AS year, count(*) AS n
FROM calendar_overrides
WHERE branch_id IS NULL
GROUP BY CAST(extract(year FROM day) AS INTEGER)
ORDER BY year
