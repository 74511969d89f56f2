-- Returns: the projects of a wave within the scope: forms issued, returned (paper, import and
-- self-service together), return rate and whether it is below the target. 
-- Params: $wave_id, $scope_kind, $scope_id, $target
WITH ret AS (
    SELECT r.project_id, count(*) AS returned,
           count(*) FILTER (WHERE r.source = 'self') AS returned_self
    FROM survey_responses r
    WHERE r.wave_id = $wave_id
    GROUP BY r.project_id
)
SELECT wp.project_id, p.code AS project_code, p.name AS project, wp.branch_id, b.name AS branch,
       wp.forms_issued, coalesce(ret.returned, 0) AS returned,
       coalesce(ret.returned_self, 0) AS returned_self,
       survey_return_rate(coalesce(ret.returned, 0), wp.forms_issued) AS return_rate,
       coalesce(survey_return_rate(coalesce(ret.returned, 0), wp.forms_issued) < $target, FALSE)
           AS below_target
FROM survey_wave_projects wp
JOIN projects p ON p.id = wp.project_id
JOIN branches b ON b.id = wp.branch_id
LEFT JOIN ret ON ret.project_id = wp.project_id
WHERE wp.wave_id = $wave_id
  AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
ORDER BY b.code, p.code
