-- Removes the answers of the given forms (undo of a survey-forms import). Params: $response_ids
DELETE FROM survey_answers WHERE list_contains($response_ids::INTEGER[], response_id)
