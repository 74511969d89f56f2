-- Returns: a category's id by code. Params: $code
SELECT id FROM categories WHERE code = $code
