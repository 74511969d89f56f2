-- Returns: the smallest complaint number of a year handed back by a filing that failed (removed
-- from the returns, so it is used once), or no row. Params: $year
DELETE FROM complaint_code_returns
WHERE year = $year AND no = (SELECT min(no) FROM complaint_code_returns WHERE year = $year)
RETURNING no
