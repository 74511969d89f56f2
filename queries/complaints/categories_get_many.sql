-- Returns: the categories of a batch of filings (as complaints/category_get). Params: $ids
SELECT id, parent_id, default_department_id, active FROM categories WHERE id = ANY($ids)
