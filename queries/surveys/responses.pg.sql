-- PostgreSQL twin of surveys/responses (run natively on a PostgreSQL store, docs/storage.md slice 8):
-- the same columns and rows; the page of forms is picked from survey_responses' indexes in the
-- list's order (pg/028: per wave, per branch and wave, per project and wave, newest first) and
-- each form's follow-up revisit by revisit_tasks_survey_response, instead of the extension
-- pulling 1 M forms into DuckDB (4.0-4.6 s, the survey entry page's first visit).
-- The date as a timestamp, as DuckDB hands a DATE to pandas.
-- Params: $wave_id, $scope_kind, $scope_id, $project_id, $limit
WITH pick AS (
    SELECT r.id, r.entered_at FROM survey_responses r
    WHERE r.wave_id = $wave_id::bigint
      AND ($scope_kind::text = 'group' OR ($scope_kind::text = 'branch' AND r.branch_id = $scope_id::bigint) OR ($scope_kind::text = 'project' AND r.project_id = $scope_id::bigint))
      AND ($project_id::bigint IS NULL OR r.project_id = $project_id::bigint)
    ORDER BY r.entered_at DESC, r.id DESC
    LIMIT $limit::bigint
)
SELECT r.id, p.name AS project, b.name AS branch, r.form_no, r.unit_text, r.respondent_name,
       r.source, CAST(r.returned_on AS TIMESTAMP) AS returned_on, r.n_rated, r.n_unsatisfied, r.score, r.comments, r.entered_by,
       t.id AS revisit_task_id, t.status AS revisit_status
FROM pick
JOIN survey_responses r ON r.id = pick.id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
LEFT JOIN revisit_tasks t ON t.survey_response_id = r.id AND t.kind = 'survey'
ORDER BY pick.entered_at DESC, pick.id DESC
