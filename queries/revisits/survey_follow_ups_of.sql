-- Returns: the follow-up revisits of the given survey forms, each with whether it was worked on (not
-- open, or an attempt recorded). Params: $response_ids
SELECT t.id, t.survey_response_id,
       (t.status <> 'open' OR EXISTS (SELECT 1 FROM revisit_records r WHERE r.task_id = t.id)) AS worked
FROM revisit_tasks t
WHERE t.survey_response_id = ANY(CAST($response_ids AS INTEGER[]))
ORDER BY t.id
