-- Removes the answers of the given forms (undo of a survey-forms import). Params: $response_ids
DELETE FROM survey_answers WHERE response_id = ANY(CAST($response_ids AS INTEGER[]))
