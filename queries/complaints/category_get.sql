-- Returns: a category with its parent id and default department. Params: $id
SELECT id, parent_id, default_department_id, active FROM categories WHERE id = $id
