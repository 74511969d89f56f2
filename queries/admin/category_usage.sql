-- Returns: what still refers to a category (counts; any above zero refuses its deletion).
-- Params: $id
SELECT (SELECT count(*) FROM complaints WHERE category_id = $id) AS complaints,
       (SELECT count(*) FROM categories WHERE parent_id = $id) AS subcategories
