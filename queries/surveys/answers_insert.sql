-- Inserts the answers of one form from two parallel lists (NULL rating = unrated).
-- Params: $response_id, $item_keys, $ratings
INSERT INTO survey_answers (response_id, item_key, rating)
SELECT $response_id, k, r::TINYINT
FROM (SELECT unnest($item_keys::VARCHAR[]) AS k, unnest($ratings::INTEGER[]) AS r)
