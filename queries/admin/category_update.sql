-- Updates a category (codes never change).
-- Params: $id, $parent_id, $name, $name_en, $default_department_id, $sort, $active
UPDATE categories
SET parent_id = $parent_id, name = $name, name_en = $name_en,
    default_department_id = $default_department_id, sort = $sort, active = $active
WHERE id = $id
