-- Adds one returned form's ratings to survey_item_counts (same transaction as the answers).
-- Params: $wave_id, $project_id, $branch_id, $item_keys, $ratings (NULL rating = unrated)
INSERT INTO survey_item_counts
SELECT $wave_id, $project_id, $branch_id, k, coalesce(r = 4, FALSE)::INT, coalesce(r = 3, FALSE)::INT,
       coalesce(r = 2, FALSE)::INT, coalesce(r = 1, FALSE)::INT,
       (r IS NULL)::INT
FROM (SELECT unnest(CAST($item_keys AS VARCHAR[])) AS k, unnest(CAST($ratings AS INTEGER[])) AS r) AS x
ON CONFLICT (wave_id, project_id, item_key) DO UPDATE SET
    n4 = survey_item_counts.n4 + excluded.n4, n3 = survey_item_counts.n3 + excluded.n3,
    n2 = survey_item_counts.n2 + excluded.n2, n1 = survey_item_counts.n1 + excluded.n1,
    n0 = survey_item_counts.n0 + excluded.n0
