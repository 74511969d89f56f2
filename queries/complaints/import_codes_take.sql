-- Returns: the last number of a year's complaint codes after taking $n more for an import (the
-- numbers last_no - n + 1 .. last_no are the import's: one block, no gap). Params: $year, $n
UPDATE complaint_counters SET last_no = last_no + $n WHERE year = $year RETURNING last_no
