-- PostgreSQL twin of admin/projects (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same SQL, the units counted in PostgreSQL by units_project (pg/027) instead of pulling
-- 989,500 units through the extension. Params: none
SELECT p.id, p.code, p.name, p.project_type, p.address, p.households,
       (SELECT count(*) FROM units u WHERE u.project_id = p.id) AS units,
       p.branch_id, p.active
FROM projects p
LEFT JOIN branches b ON b.id = p.branch_id
ORDER BY b.code, p.code, p.id
