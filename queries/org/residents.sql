-- Returns: residents within the user's scope matching a search text (name, phone or unit), in
-- project and unit order, at most $limit. The rows are picked on the residents table alone and
-- only then joined for display (fast at a million residents). The phone is shown in full only
-- to users of the resident's own project (seed 001: privacy).
-- Params: $scope_kind, $scope_id, $q (text or NULL), $project_id (or NULL), $limit
WITH pick AS (
    SELECT r.id, r.project_id, r.unit_id
    FROM residents r JOIN projects p ON p.id = r.project_id
    WHERE in_scope($scope_kind, $scope_id, p.id, p.branch_id)
      AND ($project_id IS NULL OR r.project_id = $project_id)
      AND ($q IS NULL OR r.name LIKE '%' || $q || '%' OR r.phone LIKE '%' || $q || '%'
           OR r.unit_id IN (SELECT u.id FROM units u WHERE u.code LIKE '%' || $q || '%'))
    ORDER BY r.project_id, r.unit_id, r.id
    LIMIT $limit
)
SELECT r.id, b.name AS branch, p.name AS project, bl.name AS building, u.code AS unit,
       r.name, r.relation,
       CASE WHEN $scope_kind = 'project' AND r.project_id = $scope_id THEN r.phone
            ELSE mask_phone(r.phone) END AS phone,
       r.moved_in_on
FROM pick JOIN residents r ON r.id = pick.id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = p.branch_id
LEFT JOIN units u ON u.id = r.unit_id
LEFT JOIN buildings bl ON bl.id = u.building_id
ORDER BY pick.project_id, pick.unit_id, r.id
