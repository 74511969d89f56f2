-- Returns: the items rated 不满意 on one form, in form order. Params: $response_id
SELECT a.item_key, i.text_zh, i.text_en
FROM survey_answers a
JOIN survey_responses r ON r.id = a.response_id
JOIN survey_waves w ON w.id = r.wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = a.item_key
WHERE a.response_id = $response_id AND survey_unsatisfied(a.rating)
ORDER BY i.sort
