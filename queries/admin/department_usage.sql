-- Returns: what still refers to a department (counts). Params: $id
SELECT (SELECT count(*) FROM categories WHERE default_department_id = $id) AS categories,
       (SELECT count(*) FROM users WHERE department_id = $id) AS users,
       (SELECT count(*) FROM complaints WHERE department_id = $id) AS complaints
