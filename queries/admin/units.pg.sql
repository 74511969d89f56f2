-- PostgreSQL twin of admin/units (run natively on a PostgreSQL store, docs/storage.md slice 8): a
-- project's units by units_project (pg/027) instead of a scan through the extension (54 ms, on
-- every rerun of the organisation grid). Params: $project_id
SELECT u.id, u.building_id, u.code, u.floor, u.area_m2
FROM units u
LEFT JOIN buildings bl ON bl.id = u.building_id
WHERE u.project_id = $project_id::bigint
ORDER BY bl.code, u.code, u.id
