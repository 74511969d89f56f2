-- Returns: the names of some buildings (the units of a batch of filings). Params: $ids
SELECT id, name FROM buildings WHERE id = ANY($ids)
