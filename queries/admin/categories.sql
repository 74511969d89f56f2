-- Returns: the two-level category tree, parents before their children, with the parent's code.
-- Params: none
SELECT c.id, c.code, p.code AS parent, c.name, c.name_en, c.default_department_id, c.sort,
       c.active
FROM categories c
LEFT JOIN categories p ON p.id = c.parent_id
ORDER BY coalesce(p.sort, c.sort), coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.sort, c.id
