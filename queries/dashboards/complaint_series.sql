-- Returns: complaints received in [$period_start, $period_end) in the scope per $grain ('day', 'week' or
-- 'month', in the company's time zone: the connection's TimeZone) and first-level category:
-- bucket (first day), category code, name, name_en, n.
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $grain
SELECT CAST(date_trunc($grain, c.received_at) AS DATE) AS bucket,
       coalesce(top.code, cat.code) AS category, coalesce(top.name, cat.name) AS name,
       coalesce(top.name_en, cat.name_en) AS name_en, count(*) AS n
FROM complaints c
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories top ON top.id = cat.parent_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.received_at >= $period_start AND c.received_at < $period_end
GROUP BY ALL
ORDER BY bucket, n DESC
