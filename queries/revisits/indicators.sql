-- Returns: revisit indicators for tasks due in [$period_start, $period_end) within the scope,
-- overall (group_by = 'all') or per project / branch / kind:
--   revisit_rate = done / due; on_time_rate = done by the due time / due;
--   satisfaction = done revisits not 不满意 / done revisits with a satisfaction (rated).
-- Rates are NULL when nothing was due (shown as "—").
-- Params: $scope_kind, $scope_id, $period_start, $period_end, $kind, $project_id, $group_by
SELECT CASE $group_by WHEN 'project' THEN p.name WHEN 'branch' THEN b.name
                      WHEN 'kind' THEN t.kind ELSE 'all' END AS grp,
       count(*) AS due,
       count(*) FILTER (WHERE t.status = 'done') AS done,
       count(*) FILTER (WHERE revisit_on_time(t.done_at, t.due_at)) AS done_on_time,
       count(*) FILTER (WHERE t.satisfaction IS NOT NULL) AS rated,
       count(*) FILTER (WHERE t.satisfaction IS NOT NULL AND t.satisfaction <> 'unsatisfied') AS satisfied,
       ratio(count(*) FILTER (WHERE t.status = 'done'), count(*)) AS revisit_rate,
       ratio(count(*) FILTER (WHERE revisit_on_time(t.done_at, t.due_at)), count(*)) AS on_time_rate,
       ratio(count(*) FILTER (WHERE t.satisfaction IS NOT NULL AND t.satisfaction <> 'unsatisfied'),
             count(*) FILTER (WHERE t.satisfaction IS NOT NULL)) AS satisfaction_rate
FROM revisit_tasks t
JOIN projects p ON p.id = t.project_id
JOIN branches b ON b.id = t.branch_id
WHERE t.status <> 'cancelled'
  AND t.due_at >= $period_start AND t.due_at < $period_end
  AND in_scope($scope_kind, $scope_id, t.project_id, t.branch_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($project_id IS NULL OR t.project_id = $project_id)
GROUP BY ALL
ORDER BY grp
