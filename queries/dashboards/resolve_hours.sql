-- Returns: complaints resolved in [$period_start, $period_end) in the scope per band of hours from
-- receipt to resolution (0-24, 24-48, 48-72, 72-168, 168-336, 336+): band (lower bound in hours), n.
-- Params: $scope_kind, $scope_id, $period_start, $period_end
SELECT CASE WHEN h < 24 THEN 0 WHEN h < 48 THEN 24 WHEN h < 72 THEN 48 WHEN h < 168 THEN 72
            WHEN h < 336 THEN 168 ELSE 336 END AS band, count(*) AS n
FROM (SELECT epoch(c.resolved_at - c.received_at) / 3600.0 AS h
      FROM complaints c
      WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
        AND c.resolved_at >= $period_start AND c.resolved_at < $period_end)
GROUP BY ALL
ORDER BY band
