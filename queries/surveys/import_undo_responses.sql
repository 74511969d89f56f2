-- Removes the given forms (undo of a survey-forms import). Params: $response_ids
DELETE FROM survey_responses WHERE id = ANY(CAST($response_ids AS INTEGER[])) RETURNING id
