-- Replaces the ratings of one form's answers (a corrected import file, or its undo).
-- Params: $response_id, $item_keys, $ratings (NULL rating = unrated)
UPDATE survey_answers AS a SET rating = CAST(x.r AS SMALLINT)
FROM (SELECT unnest(CAST($item_keys AS VARCHAR[])) AS k, unnest(CAST($ratings AS INTEGER[])) AS r) x
WHERE a.response_id = $response_id AND a.item_key = x.k
