-- Returns: the last of $n new consecutive complaint numbers of a year (a batch of filings takes
-- last - n + 1 .. last inside its own transaction). No row: the year's counter row is missing
-- (complaints/counter_ensure). Params: $year, $n
UPDATE complaint_counters SET last_no = last_no + $n WHERE year = $year RETURNING last_no
