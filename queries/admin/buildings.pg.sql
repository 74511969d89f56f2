-- PostgreSQL twin of admin/buildings (run natively on a PostgreSQL store, docs/storage.md
-- slice 8): the same SQL, each building's units counted by units_building (pg/027).
-- Params: $project_id
SELECT bl.id, bl.code, bl.name,
       (SELECT count(*) FROM units u WHERE u.building_id = bl.id) AS units
FROM buildings bl
WHERE bl.project_id = $project_id::bigint
ORDER BY bl.code, bl.id
