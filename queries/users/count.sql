-- Returns: number of users. Params: none
SELECT count(*) AS n FROM users
