-- Gives back the self-service links the given forms spent (undo of a survey-forms import).
-- Params: $response_ids
UPDATE survey_tokens SET used_at = NULL, response_id = NULL
WHERE response_id = ANY(CAST($response_ids AS INTEGER[]))
