-- Returns: how many corrective actions were drawn up on these waves' projects at or after a time
-- (an import whose forms they may rest on is not undone). Params: $wave_ids, $project_ids, $since
SELECT count(*) FROM survey_actions
WHERE list_contains($wave_ids::INTEGER[], wave_id) AND list_contains($project_ids::INTEGER[], project_id)
  AND created_at >= $since
