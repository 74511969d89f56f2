-- Inserts the answers of many forms (bulk: imported forms; NULL rating = unrated).
-- Params: none (staged: response_id, item_key, rating)
INSERT INTO survey_answers (response_id, item_key, rating)
SELECT CAST(response_id AS INTEGER), CAST(item_key AS VARCHAR), CAST(rating AS SMALLINT) FROM staged
