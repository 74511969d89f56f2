-- Returns: waves the scope takes part in or organises, newest first, with forms issued and
-- returned within the scope and the return rate. Params: $scope_kind, $scope_id
WITH wp AS (
    SELECT wp.wave_id, sum(wp.forms_issued) AS forms_issued, count(*) AS projects
    FROM survey_wave_projects wp
    WHERE in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)
    GROUP BY wp.wave_id
), ret AS (
    SELECT r.wave_id, count(*) AS returned
    FROM survey_responses r
    WHERE in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
    GROUP BY r.wave_id
)
SELECT w.id, w.code, w.name, w.purpose, w.target, w.level, w.status, w.starts_on, w.ends_on,
       w.staff, w.created_by, w.created_at, w.approved_by, w.approved_at, w.closed_by, w.closed_at,
       w.version, w.questionnaire_id, q.name AS questionnaire, q.version AS questionnaire_version,
       w.owner_branch_id, w.owner_project_id,
       coalesce(wp.projects, 0) AS projects, coalesce(wp.forms_issued, 0) AS forms_issued,
       coalesce(ret.returned, 0) AS returned,
       survey_return_rate(coalesce(ret.returned, 0), wp.forms_issued) AS return_rate
FROM survey_waves w
JOIN survey_questionnaires q ON q.id = w.questionnaire_id
LEFT JOIN wp ON wp.wave_id = w.id
LEFT JOIN ret ON ret.wave_id = w.id
LEFT JOIN projects op ON op.id = w.owner_project_id
WHERE wp.wave_id IS NOT NULL
   OR (w.level = 'group' AND $scope_kind = 'group')
   OR (w.level = 'branch' AND in_scope($scope_kind, $scope_id, NULL, w.owner_branch_id))
   OR (w.level = 'project' AND in_scope($scope_kind, $scope_id, w.owner_project_id, op.branch_id))
ORDER BY w.starts_on DESC, w.id DESC
