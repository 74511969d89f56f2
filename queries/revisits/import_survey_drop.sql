-- Removes the open follow-up revisits of the given survey forms (undo of a survey-forms import).
-- Params: $response_ids
DELETE FROM revisit_tasks WHERE survey_response_id = ANY(CAST($response_ids AS INTEGER[])) RETURNING id
