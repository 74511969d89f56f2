-- Writes: a user's digest of a day (the second run of the same day replaces it, unread again).
-- Params: $user_id, $day, $summary, $file_name
INSERT INTO digests (user_id, day, summary, file_name) VALUES ($user_id, $day, $summary, $file_name)
ON CONFLICT (user_id, day) DO UPDATE SET summary = excluded.summary, file_name = excluded.file_name,
    created_at = now(), read_at = NULL
