-- Corrects an imported revisit attempt and its task (a re-import with changed values).
-- Params: $id, $method, $reached, $fail_reason, $satisfaction, $comments, $by_user
UPDATE revisit_records SET method = $method, reached = $reached, fail_reason = $fail_reason,
    satisfaction = $satisfaction, comments = $comments, by_user = $by_user
WHERE id = $id
