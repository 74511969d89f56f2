-- PostgreSQL twin of org/residents (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same columns and rows, in_scope and mask_phone written out; the first rows in project and
-- unit order come from residents_project_unit (pg/027) instead of a sort of 920,000 residents.
-- Params: $scope_kind, $scope_id, $q (text or NULL), $project_id (or NULL), $limit
WITH pick AS (
    SELECT r.id, r.project_id, r.unit_id
    FROM residents r JOIN projects p ON p.id = r.project_id
    WHERE ($scope_kind::text = 'group'
           OR ($scope_kind::text = 'branch' AND p.branch_id = $scope_id::bigint)
           OR ($scope_kind::text = 'project' AND r.project_id = $scope_id::bigint))
      AND ($project_id::bigint IS NULL OR r.project_id = $project_id::bigint)
      AND ($q::text IS NULL OR r.name LIKE '%' || $q::text || '%' OR r.phone LIKE '%' || $q::text || '%'
           OR r.unit_id IN (SELECT u.id FROM units u WHERE u.code LIKE '%' || $q::text || '%'))
    ORDER BY r.project_id, r.unit_id, r.id
    LIMIT $limit::bigint
)
SELECT r.id, b.name AS branch, p.name AS project, bl.name AS building, u.code AS unit,
       r.name, r.relation,
       CASE WHEN $scope_kind::text = 'project' AND r.project_id = $scope_id::bigint THEN r.phone
            WHEN r.phone IS NULL THEN NULL
            WHEN length(r.phone) >= 7 THEN left(r.phone, 3) || '****' || right(r.phone, 4)
            ELSE '****' END AS phone,
       CAST(r.moved_in_on AS TIMESTAMP) AS moved_in_on  -- as DuckDB hands a DATE to pandas
FROM pick JOIN residents r ON r.id = pick.id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = p.branch_id
LEFT JOIN units u ON u.id = r.unit_id
LEFT JOIN buildings bl ON bl.id = u.building_id
ORDER BY pick.project_id, pick.unit_id, r.id
