-- Returns: complaints received in [$period_start, $period_end) in the scope, counted per value of
-- one dimension ($dimension: category (first level), grade, validity, channel), largest first;
-- `value` is the stored code (grade / validity) or the name in Chinese and English.
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $dimension
SELECT CASE $dimension WHEN 'category' THEN coalesce(top.code, cat.code)
                       WHEN 'grade' THEN coalesce(c.grade, 'unjudged')
                       WHEN 'validity' THEN coalesce(c.validity, 'unjudged')
                       WHEN 'channel' THEN ch.code END AS value,
       CASE $dimension WHEN 'category' THEN coalesce(top.name, cat.name)
                       WHEN 'channel' THEN ch.name END AS name,
       CASE $dimension WHEN 'category' THEN coalesce(top.name_en, cat.name_en)
                       WHEN 'channel' THEN ch.name_en END AS name_en,
       count(*) AS n
FROM complaints c
JOIN categories cat ON cat.id = c.category_id
LEFT JOIN categories top ON top.id = cat.parent_id
JOIN channels ch ON ch.id = c.channel_id
WHERE in_scope($scope_kind, $scope_id, c.project_id, c.branch_id)
  AND c.received_at >= $period_start AND c.received_at < $period_end
GROUP BY ALL
ORDER BY n DESC, value
