-- Returns: the next complaint number of a year. The row exists (complaints/counter_ensure); the
-- update locks it, so two filings at once conflict and one retries. Params: $year
UPDATE complaint_counters SET last_no = last_no + 1 WHERE year = $year RETURNING last_no
