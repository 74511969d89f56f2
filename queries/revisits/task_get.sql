-- Returns: one revisit task with its project's branch, for commands. Params: $id
SELECT t.*, rs.max_failed_attempts
FROM revisit_tasks t JOIN revisit_settings rs ON rs.kind = t.kind
WHERE t.id = $id
