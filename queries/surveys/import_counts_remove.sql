-- Takes the ratings of the given forms out of survey_item_counts (undo of a survey-forms import;
-- the counts table stays in step with the answers, migration 008). Params: $response_ids
UPDATE survey_item_counts AS c SET
    n4 = c.n4 - x.n4, n3 = c.n3 - x.n3, n2 = c.n2 - x.n2, n1 = c.n1 - x.n1, n0 = c.n0 - x.n0
FROM (
    SELECT r.wave_id, r.project_id, a.item_key,
           count(*) FILTER (WHERE a.rating = 4) AS n4, count(*) FILTER (WHERE a.rating = 3) AS n3,
           count(*) FILTER (WHERE a.rating = 2) AS n2, count(*) FILTER (WHERE a.rating = 1) AS n1,
           count(*) FILTER (WHERE a.rating IS NULL) AS n0
    FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
    WHERE r.id = ANY(CAST($response_ids AS INTEGER[]))
    GROUP BY r.wave_id, r.project_id, a.item_key
) x
WHERE c.wave_id = x.wave_id AND c.project_id = x.project_id AND c.item_key = x.item_key
