-- Returns: per year, how many holidays / make-up working days are entered for all branches.
-- Params: none
SELECT year(day) AS year, count(*) AS n
FROM calendar_overrides
WHERE branch_id IS NULL
GROUP BY year(day)
ORDER BY year
