-- Returns: a user's latest digest (for the home page), or nothing. Params: $user_id
SELECT id, day, summary, file_name, created_at, read_at FROM digests
WHERE user_id = $user_id ORDER BY day DESC LIMIT 1
