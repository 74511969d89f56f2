-- Recounts one wave's survey_item_counts from its answers (after a bulk load such as the demo).
-- Params: $wave_id
INSERT OR REPLACE INTO survey_item_counts
SELECT r.wave_id, r.project_id, r.branch_id, a.item_key,
       count(*) FILTER (WHERE a.rating = 4), count(*) FILTER (WHERE a.rating = 3),
       count(*) FILTER (WHERE a.rating = 2), count(*) FILTER (WHERE a.rating = 1),
       count(*) FILTER (WHERE a.rating IS NULL)
FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
WHERE r.wave_id = $wave_id
GROUP BY ALL
