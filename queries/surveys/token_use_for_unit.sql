-- Marks the open self-service token of a household spent by a form returned on paper or by import
-- (one answer per household and wave); returns the tokens marked (none when it had no open token).
-- Params: $wave_id, $project_id, $unit_id, $unit_text, $response_id, $at
UPDATE survey_tokens SET used_at = $at, response_id = $response_id
WHERE wave_id = $wave_id AND project_id = $project_id AND used_at IS NULL
  AND (unit_id = $unit_id OR unit_text = $unit_text)
RETURNING token
