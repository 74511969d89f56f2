-- PostgreSQL twin of admin/branches (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same SQL, one native round trip (the organisation and user grids read it on every rerun).
-- Params: none
SELECT b.id, b.code, b.name, b.active,
       (SELECT count(*) FROM projects p WHERE p.branch_id = b.id) AS projects
FROM branches b
ORDER BY b.code, b.id
