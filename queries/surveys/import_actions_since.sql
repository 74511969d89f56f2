-- Returns: how many corrective actions were drawn up on these waves' projects at or after a time
-- (an import whose forms they may rest on is not undone). Params: $wave_ids, $project_ids, $since
SELECT count(*) FROM survey_actions
WHERE wave_id = ANY(CAST($wave_ids AS INTEGER[])) AND project_id = ANY(CAST($project_ids AS INTEGER[]))
  AND created_at >= $since
