-- Returns: the names of some buildings (the units of a batch of filings). Params: $ids
SELECT id, name FROM buildings WHERE list_contains($ids, id)
