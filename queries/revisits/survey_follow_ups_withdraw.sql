-- Removes the given follow-up revisits of survey forms while still open and untouched (a corrected
-- import of a form no longer needs one). Params: $ids
DELETE FROM revisit_tasks t
WHERE t.id = ANY(CAST($ids AS INTEGER[])) AND t.survey_response_id IS NOT NULL AND t.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM revisit_records r WHERE r.task_id = t.id)
RETURNING id
