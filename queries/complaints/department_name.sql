-- Returns: a department's Chinese name. Params: $id
SELECT name FROM departments WHERE id = $id
