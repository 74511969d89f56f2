-- Returns: residents within the user's scope matching a search text, newest units first.
-- The phone is shown in full only to users of the resident's own project (seed 001: privacy).
-- Params: $scope_kind, $scope_id, $q (text or NULL), $project_id (or NULL), $limit
SELECT r.id, b.name AS branch, p.name AS project, bl.name AS building, u.code AS unit,
       r.name, r.relation,
       CASE WHEN $scope_kind = 'project' AND r.project_id = $scope_id THEN r.phone
            ELSE mask_phone(r.phone) END AS phone,
       r.moved_in_on
FROM residents r
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = p.branch_id
LEFT JOIN units u ON u.id = r.unit_id
LEFT JOIN buildings bl ON bl.id = u.building_id
WHERE in_scope($scope_kind, $scope_id, p.id, p.branch_id)
  AND ($project_id IS NULL OR p.id = $project_id)
  AND ($q IS NULL OR r.name LIKE '%' || $q || '%' OR u.code LIKE '%' || $q || '%'
       OR r.phone LIKE '%' || $q || '%')
ORDER BY p.code, u.code, r.id
LIMIT $limit
