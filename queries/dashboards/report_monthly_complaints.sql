-- Returns: the monthly complaint summary (月度投诉记录汇总表, seed 003's record list): complaints
-- received in [$period_start, $period_end) in the scope, per project and month (company time zone):
-- code, received, category, nature (validity) and its basis, grade, status, completed or not and
-- when. No resident's name or phone (the summary goes to head office).
-- Params: $scope_kind, $scope_id, $period_start, $period_end
SELECT b.name AS branch, p.name AS project, strftime(c.received_at, '%Y-%m') AS month, c.code,
       c.received_at, coalesce(top.name, cat.name) AS category, cat.name AS subcategory,
       coalesce(top.name_en, cat.name_en) AS category_en, cat.name_en AS subcategory_en,
       c.validity, c.validity_basis, c.grade, c.status,
       (c.resolved_at IS NOT NULL OR c.closed_at IS NOT NULL) AS completed,
       coalesce(c.resolved_at, c.closed_at) AS completed_at
FROM complaints c
JOIN projects p ON p.id = c.project_id
JOIN branches b ON b.id = c.branch_id
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories top ON top.id = cat.parent_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.received_at >= $period_start AND c.received_at < $period_end
ORDER BY b.code, p.code, month, c.received_at
