-- PostgreSQL twin of complaints/categories_tree (run natively on a PostgreSQL store,
-- docs/storage.md slice 8; the intake page reads it on every rerun): the same SQL, one native
-- round trip instead of two scans through the extension. Params: none
SELECT c.id, c.code, c.name, c.name_en, c.default_department_id, p.id AS parent_id,
       p.name AS parent, p.name_en AS parent_en
FROM categories c JOIN categories p ON p.id = c.parent_id
WHERE c.active AND p.active
ORDER BY p.sort, c.sort
