-- Returns: the answers of one form within the scope, in form order. Params: $id, $scope_kind, $scope_id
SELECT i.sort, i.item_key, i.dimension, i.text_zh, i.text_en, a.rating
FROM survey_responses r
JOIN survey_waves w ON w.id = r.wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id
LEFT JOIN survey_answers a ON a.response_id = r.id AND a.item_key = i.item_key
WHERE r.id = $id AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
ORDER BY i.sort
