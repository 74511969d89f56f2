-- Makes sure a year's code counter exists (in its own transaction, before filing, so that the
-- filing transaction only ever updates the row and concurrent filings conflict and retry).
-- Params: $year
INSERT INTO complaint_counters VALUES ($year, 0) ON CONFLICT (year) DO NOTHING
