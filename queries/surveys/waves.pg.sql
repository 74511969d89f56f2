-- PostgreSQL twin of surveys/waves (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same columns and rows, in_scope written out, survey_return_rate PostgreSQL's function (pg/025); the forms returned per
-- wave counted from survey_responses' scope indexes (pg/028) instead of pulled through the
-- extension (1.3 s; read by every survey page). The dates as timestamps, as DuckDB hands a DATE to
-- pandas. Params: $scope_kind, $scope_id
WITH wp AS (
    SELECT wp.wave_id, sum(wp.forms_issued) AS forms_issued, count(*) AS projects
    FROM survey_wave_projects wp
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND wp.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND wp.project_id = $scope_id::bigint))
    GROUP BY wp.wave_id
), ret AS (
    SELECT r.wave_id, count(*) AS returned
    FROM survey_responses r
    WHERE ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND r.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND r.project_id = $scope_id::bigint))
    GROUP BY r.wave_id
)
SELECT w.id, w.code, w.name, w.purpose, w.target, w.level, w.status, CAST(w.starts_on AS TIMESTAMP) AS starts_on,
       CAST(w.ends_on AS TIMESTAMP) AS ends_on,
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
   OR (w.level = 'group' AND $scope_kind::text = 'group')
   OR (w.level = 'branch' AND ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND w.owner_branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND FALSE)))
   OR (w.level = 'project' AND ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND op.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND w.owner_project_id = $scope_id::bigint)))
ORDER BY w.starts_on DESC, w.id DESC
