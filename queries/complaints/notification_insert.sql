-- Puts a notice in a user's inbox. Params: $user_id, $complaint_id, $kind
INSERT INTO notifications (user_id, complaint_id, kind) VALUES ($user_id, $complaint_id, $kind)
