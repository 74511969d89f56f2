-- Sets each year's code counter to the highest demo code of that year. Params: none
INSERT OR REPLACE INTO complaint_counters
SELECT CAST(split_part(code, '-', 2) AS INTEGER), max(CAST(split_part(code, '-', 3) AS INTEGER))
FROM complaints GROUP BY 1
