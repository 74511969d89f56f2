-- Returns: open complaints of the same unit and second-level category received in the 30 days
-- before $received_at (the duplicate warning at intake). Params: $project_id, $unit_id,
-- $unit_text, $category_id, $received_at, $scope_kind, $scope_id
SELECT c.id, c.code, c.received_at, c.status, c.complainant_name, left(c.description, 80) AS description
FROM complaints c
WHERE c.project_id = $project_id AND c.category_id = $category_id
  AND in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND complaint_open(c.status)
  AND ((CAST($unit_id AS INTEGER) IS NOT NULL AND c.unit_id = $unit_id)
       OR (coalesce(trim($unit_text), '') <> '' AND c.unit_text = trim($unit_text)))
  AND c.received_at >= CAST($received_at AS TIMESTAMPTZ) - INTERVAL 30 DAY
ORDER BY c.received_at DESC
LIMIT 10
