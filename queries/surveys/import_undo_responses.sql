-- Removes the given forms (undo of a survey-forms import). Params: $response_ids
DELETE FROM survey_responses WHERE list_contains($response_ids::INTEGER[], id) RETURNING id
