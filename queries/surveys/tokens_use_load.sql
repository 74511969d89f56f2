-- Marks the open self-service token of each household spent by its imported form (bulk form of
-- surveys/token_use_for_unit). Params: none (staged: wave_id, project_id, unit_id, unit_text,
-- response_id, at)
UPDATE survey_tokens AS t SET used_at = CAST(s.at AS TIMESTAMPTZ), response_id = CAST(s.response_id AS INTEGER)
FROM staged s
WHERE t.wave_id = CAST(s.wave_id AS INTEGER) AND t.project_id = CAST(s.project_id AS INTEGER) AND t.used_at IS NULL
  AND (t.unit_id = CAST(s.unit_id AS INTEGER) OR t.unit_text = CAST(s.unit_text AS VARCHAR))
