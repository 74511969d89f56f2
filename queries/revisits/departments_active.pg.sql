-- PostgreSQL twin of revisits/departments_active (run natively on a PostgreSQL store,
-- docs/storage.md slice 8): the same SQL, one native round trip (the service records page reads
-- it on every rerun). Params: none
SELECT id, code, name, name_en, name AS label FROM departments WHERE active ORDER BY id
