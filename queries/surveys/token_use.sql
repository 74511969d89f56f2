-- Marks a token answered by a form if it was not answered yet; returns it (no row: already used).
-- Params: $token, $response_id, $at
UPDATE survey_tokens SET used_at = $at, response_id = $response_id
WHERE token = $token AND used_at IS NULL
RETURNING token
