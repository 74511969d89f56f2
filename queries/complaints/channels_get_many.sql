-- Returns: the channels of a batch of filings (as complaints/channel_get). Params: $ids
SELECT id, code, origin, active FROM channels WHERE id = ANY($ids)
