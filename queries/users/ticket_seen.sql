-- Returns: whether a cookie ticket is there to be taken (a read before the taking transaction, so
-- that unknown tickets cost no commit). Params: $id
SELECT count(*) AS n FROM login_tickets WHERE id = $id
