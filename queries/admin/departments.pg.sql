-- PostgreSQL twin of admin/departments (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same SQL, one native round trip (the user and reference grids read it on every
-- rerun). Params: none
SELECT id, code, name, name_en, level, active FROM departments ORDER BY id
