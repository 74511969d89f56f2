-- Inserts the answers of one form from two parallel lists (NULL rating = unrated).
-- Params: $response_id, $item_keys, $ratings
INSERT INTO survey_answers (response_id, item_key, rating)
SELECT $response_id, k, CAST(r AS SMALLINT)
FROM (SELECT unnest(CAST($item_keys AS VARCHAR[])) AS k, unnest(CAST($ratings AS INTEGER[])) AS r) AS x
