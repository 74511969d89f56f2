-- Inserts a category and returns its id.
-- Params: $code, $parent_id, $name, $name_en, $default_department_id, $sort, $active
INSERT INTO categories (code, parent_id, name, name_en, default_department_id, sort, active)
VALUES ($code, $parent_id, $name, $name_en, $default_department_id, $sort, $active)
RETURNING id
