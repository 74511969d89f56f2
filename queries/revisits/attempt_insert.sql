-- Inserts one revisit attempt and returns its id. Params: $task_id, $attempt_at, $by_user,
-- $method, $reached, $fail_reason, $person_reached, $relation, $satisfaction, $attitude,
-- $efficiency, $effect, $comments, $serious
INSERT INTO revisit_records (task_id, attempt_at, by_user, method, reached, fail_reason,
    person_reached, relation, satisfaction, attitude, efficiency, effect, comments, serious)
VALUES ($task_id, $attempt_at, $by_user, $method, $reached, $fail_reason, $person_reached,
    $relation, $satisfaction, $attitude, $efficiency, $effect, $comments, $serious)
RETURNING id
