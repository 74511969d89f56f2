-- Returns: the survey's method for the report's summary of approach, wave $wave_id in the scope:
-- forms issued and returned, returned per source (paper, import, resident link), answers left
-- unrated (未表态, excluded from the rate) and items of the questionnaire.
-- Params: $scope_kind, $scope_id, $wave_id
SELECT (SELECT sum(forms_issued) FROM survey_wave_projects wp WHERE wp.wave_id = $wave_id
        AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)) AS issued,
       count(*) AS returned,
       count(*) FILTER (WHERE r.source = 'paper') AS paper,
       count(*) FILTER (WHERE r.source = 'import') AS imported,
       count(*) FILTER (WHERE r.source = 'self') AS self_service,
       (SELECT sum(n0) FROM survey_item_counts k WHERE k.wave_id = $wave_id
        AND in_scope($scope_kind, $scope_id, k.project_id, k.branch_id)) AS unrated,
       (SELECT count(*) FROM survey_items i JOIN survey_waves w ON w.questionnaire_id = i.questionnaire_id
        WHERE w.id = $wave_id) AS n_items,
       (SELECT count(DISTINCT project_id) FROM survey_wave_projects wp WHERE wp.wave_id = $wave_id
        AND in_scope($scope_kind, $scope_id, wp.project_id, wp.branch_id)) AS projects
FROM survey_responses r
WHERE r.wave_id = $wave_id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
