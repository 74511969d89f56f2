-- Creates self-service tokens for the units of a project that have none in this wave and have not
-- returned a form in it, from a list of fresh random tokens (one per unit, in unit order); returns
-- the tokens created. Params: $wave_id, $project_id, $tokens, $created_by
INSERT INTO survey_tokens (token, wave_id, project_id, branch_id, unit_id, unit_text, created_by)
SELECT (CAST($tokens AS VARCHAR[]))[u.n], $wave_id, $project_id, u.branch_id, u.id, u.code, $created_by
FROM (
    SELECT un.id, un.code, p.branch_id, row_number() OVER (ORDER BY un.code, un.id) AS n
    FROM units un JOIN projects p ON p.id = un.project_id
    WHERE un.project_id = $project_id
      AND NOT EXISTS (SELECT 1 FROM survey_tokens t
                      WHERE t.wave_id = $wave_id AND t.unit_id = un.id)
      AND NOT EXISTS (SELECT 1 FROM survey_responses r
                      WHERE r.wave_id = $wave_id AND r.project_id = $project_id
                        AND (r.unit_id = un.id OR r.unit_text = un.code))
) u
WHERE u.n <= array_length(CAST($tokens AS VARCHAR[]), 1)
RETURNING token
