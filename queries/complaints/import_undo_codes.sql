-- Returns: per year, the code numbers a batch added (first, last, how many) and the year's counter
-- now: undo gives the numbers back only when they are still the last ones of their year.
-- Params: $batch_id
SELECT CAST(split_part(c.code, '-', 2) AS INTEGER) AS year,
       min(CAST(split_part(c.code, '-', 3) AS INTEGER)) AS first_no,
       max(CAST(split_part(c.code, '-', 3) AS INTEGER)) AS last_no, count(*) AS n,
       min(k.last_no) AS counter
FROM complaints c LEFT JOIN complaint_counters k ON k.year = CAST(split_part(c.code, '-', 2) AS INTEGER)
WHERE c.import_batch_id = $batch_id
  AND c.id NOT IN (SELECT complaint_id FROM complaint_import_before WHERE batch_id = $batch_id)
GROUP BY CAST(split_part(c.code, '-', 2) AS INTEGER)
