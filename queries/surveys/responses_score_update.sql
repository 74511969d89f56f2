-- Computes the counts and 100-point score of the given forms from their answers (bulk form of
-- surveys/response_score_update: mean weight of the rated items, NULL when nothing was rated);
-- returns them. Params: $response_ids
UPDATE survey_responses SET
    n_rated = s.n_rated, n_unsatisfied = s.n_unsatisfied, score = s.score
FROM (
    SELECT a.response_id, count(a.rating) AS n_rated,
           count(*) FILTER (WHERE survey_unsatisfied(a.rating)) AS n_unsatisfied,
           avg(w.weight) AS score
    FROM survey_answers a LEFT JOIN survey_weights w ON w.rating = a.rating
    WHERE a.response_id = ANY(CAST($response_ids AS INTEGER[]))
    GROUP BY a.response_id
) s
WHERE survey_responses.id = s.response_id
RETURNING survey_responses.id, survey_responses.n_rated, survey_responses.n_unsatisfied, survey_responses.score
