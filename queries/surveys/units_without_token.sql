-- Returns: how many units of a project have no self-service token in this wave yet and have not
-- returned a form in it (a household that answered on paper needs no link). Params: $wave_id, $project_id
SELECT count(*) AS n FROM units un
WHERE un.project_id = $project_id
  AND NOT EXISTS (SELECT 1 FROM survey_tokens t WHERE t.wave_id = $wave_id AND t.unit_id = un.id)
  AND NOT EXISTS (SELECT 1 FROM survey_responses r
                  WHERE r.wave_id = $wave_id AND r.project_id = $project_id
                    AND (r.unit_id = un.id OR r.unit_text = un.code))
