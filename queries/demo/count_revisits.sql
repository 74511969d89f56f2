-- Returns: how many revisit tasks there are. Params: none
SELECT count(*) FROM revisit_tasks
