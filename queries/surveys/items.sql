-- Returns: the items of a questionnaire in form order, with their dimension. Params: $questionnaire_id
SELECT i.item_key, i.dimension, d.name AS dimension_name, d.name_en AS dimension_name_en,
       i.text_zh, i.text_en, i.sort
FROM survey_items i
JOIN survey_dimensions d ON d.code = i.dimension
WHERE i.questionnaire_id = $questionnaire_id
ORDER BY i.sort, i.item_key
