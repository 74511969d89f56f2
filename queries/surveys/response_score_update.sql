-- Computes a form's counts and its 100-point score (mean weight of its rated items, seed 002
-- 5.4.3; NULL when nothing was rated) from its answers; returns them. Params: $id
UPDATE survey_responses SET
    n_rated = s.n_rated, n_unsatisfied = s.n_unsatisfied, score = s.score
FROM (
    SELECT count(a.rating) AS n_rated,
           count(*) FILTER (WHERE survey_unsatisfied(a.rating)) AS n_unsatisfied,
           avg(w.weight) AS score
    FROM survey_answers a LEFT JOIN survey_weights w ON w.rating = a.rating
    WHERE a.response_id = $id
) s
WHERE survey_responses.id = $id
RETURNING survey_responses.n_rated, survey_responses.n_unsatisfied, survey_responses.score
