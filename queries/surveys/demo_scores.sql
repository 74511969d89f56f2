-- Demo data: counts and 100-point score of every form of a wave at once (the set-based twin of
-- survey_response_score_update). Params: $wave_id
UPDATE survey_responses SET n_rated = s.n_rated, n_unsatisfied = s.n_unsatisfied, score = s.score
FROM (
    SELECT a.response_id, count(a.rating) AS n_rated,
           count(*) FILTER (WHERE survey_unsatisfied(a.rating)) AS n_unsatisfied,
           avg(w.weight) AS score
    FROM survey_answers a
    JOIN survey_responses r ON r.id = a.response_id AND r.wave_id = $wave_id
    LEFT JOIN survey_weights w ON w.rating = a.rating
    GROUP BY a.response_id
) s
WHERE survey_responses.id = s.response_id
