-- Deletes a category (never one used by complaints: see admin_category_usage). Params: $id
DELETE FROM categories WHERE id = $id
