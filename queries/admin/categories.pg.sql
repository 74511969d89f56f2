-- PostgreSQL twin of admin/categories (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same SQL, one native round trip (the reference grid reads it on every rerun).
-- Params: none
SELECT c.id, c.code, p.code AS parent, c.name, c.name_en, c.default_department_id, c.sort,
       c.active
FROM categories c
LEFT JOIN categories p ON p.id = c.parent_id
ORDER BY coalesce(p.sort, c.sort), coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.sort, c.id
