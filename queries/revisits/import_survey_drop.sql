-- Removes the open follow-up revisits of the given survey forms (undo of a survey-forms import).
-- Params: $response_ids
DELETE FROM revisit_tasks WHERE list_contains($response_ids::INTEGER[], survey_response_id) RETURNING id
