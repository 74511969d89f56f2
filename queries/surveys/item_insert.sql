-- Adds one item to a questionnaire version. Params: $questionnaire_id, $item_key, $dimension,
-- $text_zh, $text_en, $sort
INSERT INTO survey_items (questionnaire_id, item_key, dimension, text_zh, text_en, sort)
VALUES ($questionnaire_id, $item_key, $dimension, $text_zh, $text_en, $sort)
