-- Gives a year's code numbers back after undoing an import (they were its last ones).
-- Params: $year, $last_no
UPDATE complaint_counters SET last_no = $last_no WHERE year = $year
