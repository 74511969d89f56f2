-- PostgreSQL twin of admin/projects (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same columns and rows, each project's units read from csm_pg.project_sizes (pg/028, kept by
-- triggers on units) instead of 1,000 counts over 989,500 units on every visit of the
-- organisation and user grids. Params: none
SELECT p.id, p.code, p.name, p.project_type, p.address, p.households,
       coalesce(s.units, 0) AS units,
       p.branch_id, p.active
FROM projects p
LEFT JOIN branches b ON b.id = p.branch_id
LEFT JOIN csm_pg.project_sizes s ON s.project_id = p.id
ORDER BY b.code, p.code, p.id
