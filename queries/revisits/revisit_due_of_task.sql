-- Returns: a revisit task's due time. Params: $id
SELECT due_at FROM revisit_tasks WHERE id = $id
