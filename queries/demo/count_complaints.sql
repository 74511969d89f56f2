-- Returns: how many complaints there are. Params: none
SELECT count(*) FROM complaints
