-- Gives back the self-service links the given forms spent (undo of a survey-forms import).
-- Params: $response_ids
UPDATE survey_tokens SET used_at = NULL, response_id = NULL
WHERE list_contains($response_ids::INTEGER[], response_id)
