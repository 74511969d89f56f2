-- Marks a user's notice read. Params: $id, $user_id
UPDATE notifications SET read_at = now() WHERE id = $id AND user_id = $user_id AND read_at IS NULL
