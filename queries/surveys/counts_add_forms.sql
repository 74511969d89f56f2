-- Adds the ratings of the given forms to survey_item_counts (bulk form of surveys/counts_add, same
-- transaction as their answers). Params: $response_ids
INSERT INTO survey_item_counts
SELECT r.wave_id, r.project_id, r.branch_id, a.item_key,
       count(*) FILTER (WHERE a.rating = 4), count(*) FILTER (WHERE a.rating = 3),
       count(*) FILTER (WHERE a.rating = 2), count(*) FILTER (WHERE a.rating = 1),
       count(*) FILTER (WHERE a.rating IS NULL)
FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
WHERE r.id = ANY(CAST($response_ids AS INTEGER[]))
GROUP BY r.wave_id, r.project_id, r.branch_id, a.item_key
ON CONFLICT (wave_id, project_id, item_key) DO UPDATE SET
    n4 = survey_item_counts.n4 + excluded.n4, n3 = survey_item_counts.n3 + excluded.n3,
    n2 = survey_item_counts.n2 + excluded.n2, n1 = survey_item_counts.n1 + excluded.n1,
    n0 = survey_item_counts.n0 + excluded.n0
