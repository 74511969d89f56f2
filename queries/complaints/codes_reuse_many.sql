-- Returns: up to $n of the smallest complaint numbers of a year handed back by filings that
-- failed (removed from the returns, so each is used once). Params: $year, $n
DELETE FROM complaint_code_returns
WHERE year = $year AND no IN (SELECT no FROM complaint_code_returns WHERE year = $year ORDER BY no LIMIT $n)
RETURNING no
