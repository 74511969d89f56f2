-- Returns: how many follow-up revisits of the given survey forms were already worked on (not open,
-- or with an attempt recorded): an import whose forms they follow up is not undone.
-- Params: $response_ids
SELECT count(*) FROM revisit_tasks t
WHERE t.survey_response_id = ANY(CAST($response_ids AS INTEGER[]))
  AND (t.status <> 'open' OR EXISTS (SELECT 1 FROM revisit_records r WHERE r.task_id = t.id))
