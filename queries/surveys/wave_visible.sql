-- Returns: whether the scope takes part in or organises the wave (the visibility rule of
-- surveys/waves, for one wave without counting its forms). Params: $id, $scope_kind, $scope_id
SELECT count(*) > 0
FROM survey_waves w
LEFT JOIN projects op ON op.id = w.owner_project_id
WHERE w.id = $id
  AND (EXISTS (SELECT 1 FROM survey_wave_projects wp
               WHERE wp.wave_id = w.id AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id))
       OR (w.level = 'group' AND $scope_kind = 'group')
       OR (w.level = 'branch' AND in_scope($scope_kind, $scope_id, NULL, w.owner_branch_id))
       OR (w.level = 'project' AND in_scope($scope_kind, $scope_id, w.owner_project_id, op.branch_id)))
